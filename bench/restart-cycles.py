#!/usr/bin/env python3
"""Restart cycles of the local stack (docs/performance.md, "Restarts").

Starts ./inloop start, then for each argument (stop | crash) stops the stack (SIGTERM of its process
group, or SIGKILL of every one of its processes), starts it again and, from the moment the API
answers, polls a job read and a cancel and times a one-step job. Prints one line per cycle: the
ready time, when the API answered, how long the job took, and every status code seen (a 500 is a
failure). Run it from the repository root with no stack running, e.g.

    python3 bench/restart-cycles.py stop stop crash crash
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

LOG = '.inloop/logs/restart-cycles.log'
PORTS = "ss -ltn | grep -E ':(8080|8090|8070|9092) '"


def start(build=False):
    os.makedirs(os.path.dirname(LOG), exist_ok=True)
    log = open(LOG, 'w')
    # Only the first start may build: a cycle measures a restart, not a build
    env = dict(os.environ) if build else dict(os.environ, INLOOP_SKIP_BUILD='1')
    process = subprocess.Popen(['./inloop', 'start', '--quiet'], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, env=env)
    return process, time.time()


def call(method, url, body=None, token=None):
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    request = urllib.request.Request(url, data=body.encode() if body else None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ''


def ready_line():
    return next((line.strip() for line in open(LOG) if 'Inloop is ready' in line), None)


def cycle(kind, process):
    if kind == 'crash':
        # The [x] keeps pkill from matching the shell that runs it
        subprocess.run("pkill -9 -f '[c]li-0.1.0-SNAPSHOT-exec.jar'; pkill -9 -f '[s]ervice-0.1.0-SNAPSHOT.jar'", shell=True)
        process.wait()
        while subprocess.run(PORTS, shell=True, capture_output=True).stdout:
            time.sleep(0.2)
    else:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(60)
    process, began = start()
    codes, token, job, api_at, job_took, submitted = {}, None, None, None, None, None
    while time.time() - began < 120:
        if token is None:
            status, body = call('POST', 'http://localhost:8080/api/dev/tokens', '{"user":"restart-cycles"}')
            if status == 200:
                token, api_at = json.loads(body)['token'], time.time() - began
        if token and job is None:
            status, body = call('POST', 'http://localhost:8080/api/jobs', '{"type":"demo.steps","payload":{"steps":1}}', token)
            codes[f'submit {status}'] = codes.get(f'submit {status}', 0) + 1
            if status == 202:
                job, submitted = json.loads(body)['id'], time.time()
        if job:
            status, body = call('GET', 'http://localhost:8080/api/jobs/' + job, None, token)
            codes[f'read {status}'] = codes.get(f'read {status}', 0) + 1
            cancel, _ = call('POST', 'http://localhost:8080/api/jobs/no-such-job/cancel', None, token)
            codes[f'cancel {cancel}'] = codes.get(f'cancel {cancel}', 0) + 1
            if status == 200 and json.loads(body)['state'] == 'SUCCEEDED' and job_took is None:
                job_took = time.time() - submitted
        if job_took is not None and ready_line():
            break
        time.sleep(0.2)
    print(f"{kind}: {ready_line() or 'NOT READY within 120 s'} | API answered after "
          f"{api_at if api_at is None else round(api_at, 1)} s | job done {job_took if job_took is None else round(job_took, 2)} s "
          f"after it was submitted | {codes}", flush=True)
    return process


def main():
    process, _ = start(build=True)
    while not ready_line():
        time.sleep(1)
    for kind in sys.argv[1:]:
        process = cycle(kind, process)
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)


if __name__ == '__main__':
    main()
