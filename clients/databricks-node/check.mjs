// Runs @databricks/sql against an Aquifer server: connect over TLS, query, metadata, close.
// Usage: node check.mjs <host> <port> <httpPath> <token> <ca-cert.pem> <table>
// Prints one JSON line per step; exits 0 when every step worked, 1 otherwise.
import { readFileSync } from 'node:fs';
import { DBSQLClient } from '@databricks/sql';

const [host, port, path, token, caFile, table] = process.argv.slice(2);

function print(step, value) {
  console.log(JSON.stringify({ step, value }));
}

async function rows(operation) {
  const all = await operation.fetchAll();
  await operation.close();
  return all;
}

const client = new DBSQLClient();
try {
  await client.connect({
    host,
    port: Number(port),
    path,
    token,
    customCaCert: readFileSync(caFile),
  });
  const session = await client.openSession({ initialCatalog: 'main', initialSchema: 'default' });
  print('query', await rows(await session.executeStatement(
    `SELECT id, name FROM ${table} ORDER BY id`)));
  print('catalogs', (await rows(await session.getCatalogs())).map((r) => r.TABLE_CAT));
  print('schemas', (await rows(await session.getSchemas({ catalogName: 'main' })))
    .map((r) => r.TABLE_SCHEM));
  print('tables', (await rows(await session.getTables({ catalogName: 'main', schemaName: 'default' })))
    .map((r) => r.TABLE_NAME));
  print('columns', (await rows(await session.getColumns({
    catalogName: 'main', schemaName: 'default', tableName: table })))
    .map((r) => r.COLUMN_NAME));
  try {
    await rows(await session.executeStatement('SELECT * FROM no_such_table'));
    print('error', 'none');
  } catch (e) {
    print('error', { message: e.message, sqlState: e.response?.sqlState ?? e.sqlState ?? null });
  }
  await session.close();
  await client.close();
  print('closed', true);
} catch (e) {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
}
