package io.aquifer.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.RemoteProtobufService;

/**
 * Avatica's protobuf-over-HTTP service that unpacks the columnar frames the server sends to a
 * connection that asked for them (see {@link ColumnarFrame}): the first frame of an execute and
 * every fetched frame. Other answers, and frames that are not columnar (metadata results), pass
 * through as Avatica reads them.
 */
final class ColumnarProtobufService extends RemoteProtobufService {
  ColumnarProtobufService(AvaticaHttpClient client, ProtobufTranslation translation) {
    super(client, translation);
  }

  @Override
  public Response _apply(Request request) {
    Response response = super._apply(request);
    if (response instanceof FetchResponse) {
      FetchResponse fetch = (FetchResponse) response;
      Meta.Frame frame = ColumnarFrame.unpack(fetch.frame);
      return frame == fetch.frame
          ? fetch
          : new FetchResponse(
              frame, fetch.missingStatement, fetch.missingResults, fetch.rpcMetadata);
    }
    if (response instanceof ExecuteResponse) {
      ExecuteResponse execute = (ExecuteResponse) response;
      if (execute.results == null) {
        return execute;
      }
      List<ResultSetResponse> results = new ArrayList<>(execute.results.size());
      for (ResultSetResponse result : execute.results) {
        results.add(unpack(result));
      }
      return new ExecuteResponse(results, execute.missingStatement, execute.rpcMetadata);
    }
    return response;
  }

  private static ResultSetResponse unpack(ResultSetResponse result) {
    Meta.Frame frame = ColumnarFrame.unpack(result.firstFrame);
    if (frame == result.firstFrame) {
      return result;
    }
    return new ResultSetResponse(
        result.connectionId,
        result.statementId,
        result.ownStatement,
        result.signature,
        frame,
        result.updateCount,
        result.rpcMetadata);
  }
}
