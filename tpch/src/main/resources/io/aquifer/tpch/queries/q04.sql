-- TPC-H Q4 with the validation substitution parameters (derived from TPC-H; not audited TPC results).
-- Adapted from io.trino.tpch 1.2 (Apache License 2.0); see README.md in this folder.
SELECT
  o_orderpriority,
  count(*) AS order_count
FROM orders
WHERE
  o_orderdate >= DATE '1993-07-01'
  AND o_orderdate < DATE '1993-07-01' + INTERVAL '3' MONTH
AND EXISTS (
SELECT *
FROM lineitem
WHERE
l_orderkey = o_orderkey
AND l_commitdate < l_receiptdate
)
GROUP BY
o_orderpriority
ORDER BY
o_orderpriority
