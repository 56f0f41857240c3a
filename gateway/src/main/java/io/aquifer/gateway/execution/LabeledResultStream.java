package io.aquifer.gateway.execution;

import static java.util.Objects.requireNonNull;

import io.aquifer.gateway.ResultStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A query's rows under the labels its statement wrote ({@link
 * io.aquifer.planner.PlannedQuery#labels()}): the engine runs the plan with unique column names
 * ({@code a, a0}), every front end shows the labels ({@code a, a}) from {@link #schema()}. The
 * batches are the engine's; front ends read their vectors by position.
 */
final class LabeledResultStream implements ResultStream {
  private final ResultStream rows;
  private final List<String> labels;
  private Schema schema;

  private LabeledResultStream(ResultStream rows, List<String> labels) {
    this.rows = requireNonNull(rows, "rows");
    this.labels = List.copyOf(labels);
  }

  /** {@code rows} itself when its columns are already named as the labels. */
  static ResultStream of(ResultStream rows, List<String> labels, List<String> planned) {
    return labels.equals(planned) ? rows : new LabeledResultStream(rows, labels);
  }

  @Override
  public Schema schema() {
    if (schema == null) {
      Schema engine = rows.schema();
      List<Field> fields = engine.getFields();
      if (fields.size() != labels.size()) {
        schema = engine;
      } else {
        List<Field> labelled = new ArrayList<>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
          Field f = fields.get(i);
          labelled.add(new Field(labels.get(i), f.getFieldType(), f.getChildren()));
        }
        schema = new Schema(labelled, engine.getCustomMetadata());
      }
    }
    return schema;
  }

  @Override
  public boolean next() {
    return rows.next();
  }

  @Override
  public VectorSchemaRoot root() {
    return rows.root();
  }

  @Override
  public void close() {
    rows.close();
  }
}
