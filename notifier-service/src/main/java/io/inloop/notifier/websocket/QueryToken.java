package io.inloop.notifier.websocket;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * {@code ?access_token=}, which older clients still send, leaves the URI as soon as the request is
 * decoded and becomes its {@code Authorization} header: nothing after this (the access log,
 * WebFlux, its debug logs, an exception naming the URI) ever sees a token in a URL.
 */
final class QueryToken {

	static final String PARAMETER = "access_token";

	private QueryToken() {
	}

	/**
	 * Moves the query's token into the header, in place.
	 * @return why the request is refused (two tokens), or {@code null}
	 */
	static Handshake.@Nullable Refusal moveToHeader(HttpRequest request) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		if (query < 0 || uri.indexOf(PARAMETER, query) < 0) {
			return null;
		}
		QueryStringDecoder decoder = new QueryStringDecoder(uri);
		List<String> tokens = decoder.parameters().get(PARAMETER);
		if (tokens == null) {
			return null;
		}
		QueryStringEncoder rest = new QueryStringEncoder(decoder.rawPath());
		for (Map.Entry<String, List<String>> parameter : decoder.parameters().entrySet()) {
			if (!parameter.getKey().equals(PARAMETER)) {
				parameter.getValue().forEach((value) -> rest.addParam(parameter.getKey(), value));
			}
		}
		request.setUri(rest.toString());
		if (tokens.size() > 1 || request.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
			return new Handshake.Refusal(HttpStatus.BAD_REQUEST, "Found multiple bearer tokens in the request");
		}
		request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + tokens.get(0));
		return null;
	}

}
