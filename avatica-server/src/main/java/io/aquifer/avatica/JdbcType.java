package io.aquifer.avatica;

import static java.util.Objects.requireNonNull;

import java.sql.DatabaseMetaData;
import java.util.Optional;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ColumnMetaData.AvaticaType;
import org.apache.calcite.avatica.ColumnMetaData.Rep;

/**
 * How a column of one Aquifer type looks to an Avatica client: its {@link java.sql.Types} code and
 * name, and the representation ({@link Rep}) its values travel in, which decides how Avatica's
 * client reads them. See {@link JdbcTypes} for the mapping and the reasons behind it.
 *
 * @param sqlType a {@link java.sql.Types} code
 * @param typeName Aquifer's name of the type, e.g. {@code DECIMAL}, {@code TIMESTAMP_NTZ}, {@code
 *     ARRAY<INT>}
 * @param rep how values travel
 * @param precision decimal digits of numbers, maximum length of strings and binaries, fractional
 *     second digits carried for timestamps (Avatica formats timestamps with it)
 * @param scale digits after the point of DECIMAL, else 0
 * @param displaySize characters needed to show any value
 * @param signed true for signed numbers
 * @param columnClassName the class {@code ResultSet.getObject} returns for it
 * @param element the element type of an ARRAY, else empty
 */
record JdbcType(
    int sqlType,
    String typeName,
    Rep rep,
    int precision,
    int scale,
    int displaySize,
    boolean signed,
    String columnClassName,
    Optional<JdbcType> element) {
  JdbcType {
    requireNonNull(typeName, "typeName");
    requireNonNull(rep, "rep");
    requireNonNull(columnClassName, "columnClassName");
    requireNonNull(element, "element");
  }

  boolean isNumeric() {
    return rep == Rep.BYTE
        || rep == Rep.SHORT
        || rep == Rep.INTEGER
        || rep == Rep.LONG
        || rep == Rep.DOUBLE
        || rep == Rep.NUMBER;
  }

  AvaticaType avaticaType() {
    if (element.isPresent()) {
      return ColumnMetaData.array(element.get().avaticaType(), typeName, Rep.ARRAY);
    }
    return ColumnMetaData.scalar(sqlType, typeName, rep);
  }

  /** A result column of this type. */
  ColumnMetaData column(int ordinal, String name, boolean nullable) {
    return new ColumnMetaData(
        ordinal,
        false,
        rep == Rep.STRING,
        true,
        false,
        nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
        signed,
        displaySize,
        name,
        name,
        "",
        precision,
        scale,
        "",
        "",
        avaticaType(),
        true,
        false,
        false,
        columnClassName);
  }
}
