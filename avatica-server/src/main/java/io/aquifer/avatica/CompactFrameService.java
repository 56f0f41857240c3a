package io.aquifer.avatica;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.LocalService;

/**
 * Avatica's {@link LocalService}, with the first frame of a result written compactly too: Avatica
 * copies that frame into a plain {@link Meta.Frame} on its way out, which would write every value
 * twice again (see {@link CompactFrame}). Fetched frames pass through as {@link AquiferMeta} made
 * them.
 */
final class CompactFrameService extends LocalService {
  CompactFrameService(Meta meta) {
    super(meta);
  }

  @Override
  public ResultSetResponse toResponse(Meta.MetaResultSet resultSet) {
    ResultSetResponse response = super.toResponse(resultSet);
    if (response.firstFrame == null || response.firstFrame instanceof CompactFrame) {
      return response;
    }
    // The Meta's own frame when it is one of ours: it keeps its form (a columnar frame stays so).
    Meta.Frame first =
        resultSet.firstFrame instanceof CompactFrame own && own.offset == response.firstFrame.offset
            ? own
            : CompactFrame.of(response.firstFrame);
    return new ResultSetResponse(
        response.connectionId,
        response.statementId,
        response.ownStatement,
        response.signature,
        first,
        response.updateCount,
        response.rpcMetadata);
  }
}
