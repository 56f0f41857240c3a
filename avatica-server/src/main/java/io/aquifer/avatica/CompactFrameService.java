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
    return new ResultSetResponse(
        response.connectionId,
        response.statementId,
        response.ownStatement,
        response.signature,
        CompactFrame.of(response.firstFrame),
        response.updateCount,
        response.rpcMetadata);
  }
}
