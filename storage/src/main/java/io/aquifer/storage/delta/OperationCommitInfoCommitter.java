package io.aquifer.storage.delta;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.commit.CommitFailedException;
import io.delta.kernel.commit.CommitMetadata;
import io.delta.kernel.commit.CommitResponse;
import io.delta.kernel.commit.Committer;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.actions.CommitInfo;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.commit.DefaultFileSystemManagedTableOnlyCommitter;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.utils.CloseableIterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Kernel's file-system committer, with the {@code commitInfo} action carrying Aquifer's operation
 * name (DELETE, MERGE, CREATE TABLE AS SELECT, ...), its parameters and metrics. Kernel itself can
 * only name a few operations (its {@code Operation} enum) and records no parameters of its own
 * beyond {@code partitionBy}. Everything else of the commit info (timestamps, txnId, engineInfo)
 * stays as Kernel made it.
 */
final class OperationCommitInfoCommitter implements Committer {
  private static final int COMMIT_INFO = SingleAction.COMMIT_INFO_ORDINAL;

  private final Committer delegate;
  private final String operation;
  private final Map<String, String> parameters;
  private final Map<String, String> metrics;
  private volatile java.util.function.UnaryOperator<io.delta.kernel.internal.actions.Metadata>
      metadataRewrite;

  OperationCommitInfoCommitter(
      String operation, Map<String, String> parameters, Map<String, String> metrics) {
    this.delegate = DefaultFileSystemManagedTableOnlyCommitter.INSTANCE;
    this.operation = requireNonNull(operation, "operation");
    this.parameters = Map.copyOf(parameters);
    this.metrics = Map.copyOf(metrics);
  }

  @Override
  public CommitResponse commit(
      Engine engine, CloseableIterator<Row> finalizedActions, CommitMetadata commitMetadata)
      throws CommitFailedException {
    return delegate.commit(engine, finalizedActions.map(this::withOperation), commitMetadata);
  }

  /**
   * Changes the metaData action Kernel made on its way to the log (COPY INTO's mergeSchema on a
   * table without column mapping: the new columns in the commit that switches the mapping on, which
   * Kernel refuses to build itself).
   */
  void rewriteMetadata(
      java.util.function.UnaryOperator<io.delta.kernel.internal.actions.Metadata> rewrite) {
    this.metadataRewrite = requireNonNull(rewrite, "rewrite");
  }

  private Row withOperation(Row action) {
    java.util.function.UnaryOperator<io.delta.kernel.internal.actions.Metadata> rewrite =
        metadataRewrite;
    if (rewrite != null && !action.isNullAt(SingleAction.METADATA_ORDINAL)) {
      io.delta.kernel.internal.actions.Metadata metadata =
          io.delta.kernel.internal.actions.Metadata.fromRow(
              action.getStruct(SingleAction.METADATA_ORDINAL));
      return SingleAction.createMetadataSingleAction(rewrite.apply(metadata).toRow());
    }
    if (action.isNullAt(COMMIT_INFO)) {
      return action;
    }
    Row kernel = action.getStruct(COMMIT_INFO);
    Map<String, String> mergedParameters = new LinkedHashMap<>();
    Optional<Map<String, String>> kernelParameters = map(kernel, "operationParameters");
    kernelParameters.ifPresent(mergedParameters::putAll);
    mergedParameters.putAll(parameters);
    CommitInfo ours =
        new CommitInfo(
            optional(kernel, "inCommitTimestamp").map(i -> kernel.getLong(i)),
            kernel.getLong(index("timestamp")),
            optional(kernel, "engineInfo").map(kernel::getString),
            Optional.of(operation),
            mergedParameters,
            optional(kernel, "isBlindAppend").map(kernel::getBoolean),
            optional(kernel, "txnId").map(kernel::getString),
            metrics);
    return SingleAction.createCommitInfoSingleAction(ours.toRow());
  }

  private static Optional<Integer> optional(Row row, String field) {
    int index = index(field);
    return row.isNullAt(index) ? Optional.empty() : Optional.of(index);
  }

  private static Optional<Map<String, String>> map(Row row, String field) {
    return optional(row, field)
        .map(
            index -> {
              MapValue value = row.getMap(index);
              return VectorUtils.<String, String>toJavaMap(value);
            });
  }

  private static int index(String field) {
    return CommitInfo.FULL_SCHEMA.indexOf(field);
  }
}
