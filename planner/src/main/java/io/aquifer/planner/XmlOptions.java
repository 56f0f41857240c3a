package io.aquifer.planner;

import static java.util.Objects.requireNonNull;

/**
 * How XML files are read, as spark-xml's options name it.
 *
 * @param rowTag the name of the elements that are rows
 * @param attributePrefix what an attribute's column name starts with ({@code _})
 * @param valueTag the field of an element's own text when it also has attributes or children
 *     ({@code _VALUE})
 * @param excludeAttribute attributes are not read at all
 * @param ignoreNamespace names are local names (namespace prefixes dropped); false: elements and
 *     attributes keep the prefix they are written with ({@code p:author})
 */
public record XmlOptions(
    String rowTag,
    String attributePrefix,
    String valueTag,
    boolean excludeAttribute,
    boolean ignoreNamespace) {
  public static final String DEFAULT_ATTRIBUTE_PREFIX = "_";
  public static final String DEFAULT_VALUE_TAG = "_VALUE";

  public XmlOptions {
    requireNonNull(rowTag, "rowTag");
    attributePrefix = attributePrefix == null ? DEFAULT_ATTRIBUTE_PREFIX : attributePrefix;
    valueTag = valueTag == null || valueTag.isEmpty() ? DEFAULT_VALUE_TAG : valueTag;
  }

  /** The rows are the {@code rowTag} elements; every other option its default. */
  public static XmlOptions of(String rowTag) {
    return new XmlOptions(rowTag, DEFAULT_ATTRIBUTE_PREFIX, DEFAULT_VALUE_TAG, false, true);
  }
}
