-- TPC-H Q17 with the validation substitution parameters (derived from TPC-H; not audited TPC results).
-- Adapted from io.trino.tpch 1.2 (Apache License 2.0); see README.md in this folder.
SELECT sum(l_extendedprice) / 7.0 AS avg_yearly
FROM
  lineitem,
  part
WHERE
  p_partkey = l_partkey
  AND p_brand = 'Brand#23'
  AND p_container = 'MED BOX'
  AND l_quantity < (
    SELECT 0.2 * avg(l_quantity)
    FROM
      lineitem
    WHERE
      l_partkey = p_partkey
  )
