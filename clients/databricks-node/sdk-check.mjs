// Runs @databricks/sdk-experimental (Databricks' SDK for JavaScript) against an Aquifer server:
// the Statement Execution API and a Unity Catalog listing. Started by DatabricksNodeSdkTest with
// the server's base URL, a token and the warehouse id; prints one JSON line per step.
import {Config, WorkspaceClient} from "@databricks/sdk-experimental";

const [host, token, warehouseId] = process.argv.slice(2);
const client = new WorkspaceClient(new Config({host, token, authType: "pat"}));
const step = (name, value) => console.log(JSON.stringify({step: name, value}));

const response = await client.statementExecution.executeStatement({
  warehouse_id: warehouseId,
  statement: "SELECT id, name FROM main.default.birds ORDER BY id",
  wait_timeout: "30s",
});
step("state", response.status.state);
step("rows", response.result.data_array);
step("columns", response.manifest.schema.columns.map((c) => c.name));

const catalogs = [];
for await (const c of client.catalogs.list({})) {
  catalogs.push(c.name);
}
step("catalogs", catalogs);
const tables = [];
for await (const t of client.tables.list({catalog_name: "main", schema_name: "default"})) {
  tables.push(t.full_name);
}
step("tables", tables);

const failed = await client.statementExecution.executeStatement({
  warehouse_id: warehouseId,
  statement: "SELECT * FROM no_such_table",
  wait_timeout: "30s",
});
step("error", failed.status);
