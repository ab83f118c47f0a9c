package io.inloop.examples.host;

import io.inloop.worker.handler.JobContext;
import io.inloop.worker.handler.JobHandler;

import org.springframework.stereotype.Component;

/** {@code reports.export}: exports a report page by page, telling its owner how far it got. */
@Component
class ReportExportJobHandler implements JobHandler<ReportExportJobHandler.Report> {

	@Override
	public String type() {
		return "reports.export";
	}

	@Override
	public Class<Report> payloadType() {
		return Report.class;
	}

	@Override
	public String handle(Report report, JobContext context) {
		for (int page = 1; page <= report.pages(); page++) {
			context.checkCancelled();
			context.progress(page, report.pages(), "Exported page " + page + " of " + report.pages());
		}
		return "/reports/" + context.jobId() + ".csv"; // the job's result, written as JSON
	}

	/** The payload: {@code {"pages": 3}}. */
	record Report(int pages) {
	}

}
