// Creates the location-archive table on a DynamoDB-compatible endpoint if it is missing.
// Dependency-free (Node >= 20: fetch + node:crypto), so it runs both natively
// (scripts/infra/up.sh) and in the one-shot `dynamodb-init` container of docker/compose.yaml.
//
// Env: DYNAMODB_ENDPOINT, DYNAMODB_TABLE, AWS_REGION,
//      AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (optional; dynalite ignores them),
//      DYNAMODB_WAIT_MS (how long to wait for the endpoint to answer, default 30000).
import { createHash, createHmac } from 'node:crypto';

const endpoint = (process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');
const table = process.env.DYNAMODB_TABLE ?? 'uitgo-locations';
const region = process.env.AWS_REGION ?? 'us-east-1';
const accessKey = process.env.AWS_ACCESS_KEY_ID ?? 'local';
const secretKey = process.env.AWS_SECRET_ACCESS_KEY ?? 'local';
const waitMs = Number(process.env.DYNAMODB_WAIT_MS ?? 30000);

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (key, s) => createHmac('sha256', key).update(s).digest();

/** One signed (SigV4) DynamoDB JSON call. Resolves to { status, body }. */
async function call(op, payload) {
  const url = new URL(endpoint + '/');
  const body = JSON.stringify(payload);
  const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `DynamoDB_20120810.${op}`,
  };
  const signed = Object.keys(headers).sort();
  const canonicalHeaders = signed.map((h) => `${h}:${headers[h]}\n`).join('');
  const canonical = ['POST', '/', '', canonicalHeaders, signed.join(';'), sha256(body)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, 'dynamodb', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  delete headers.host;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const errType = (r) => String(r.body.__type ?? '').split('#').pop();

async function waitForEndpoint() {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const r = await call('ListTables', {});
      if (r.status === 200) return r.body.TableNames ?? [];
      throw new Error(`ListTables: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const tables = await waitForEndpoint();
if (tables.includes(table)) {
  console.log(`table ${table}: exists`);
} else {
  const r = await call('CreateTable', {
    TableName: table,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  if (r.status !== 200 && errType(r) !== 'ResourceInUseException') {
    throw new Error(`CreateTable ${table}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }
  console.log(`table ${table}: created`);
}

// Wait until ACTIVE (dynalite keeps new tables CREATING for --createTableMs).
const deadline = Date.now() + waitMs;
for (;;) {
  const r = await call('DescribeTable', { TableName: table });
  if (r.status === 200 && r.body.Table?.TableStatus === 'ACTIVE') break;
  if (Date.now() > deadline) throw new Error(`table ${table} not ACTIVE: ${JSON.stringify(r.body)}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

// TTL on `expiresAt`. dynalite does not implement UpdateTimeToLive (and never deletes
// expired items), so readers must filter expired items themselves.
const ttl = await call('DescribeTimeToLive', { TableName: table });
if (ttl.status === 200 && ttl.body.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') {
  console.log(`table ${table}: ttl expiresAt already enabled`);
} else {
  const r = await call('UpdateTimeToLive', {
    TableName: table,
    TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
  });
  if (r.status === 200) console.log(`table ${table}: ttl expiresAt enabled`);
  else console.log(`table ${table}: ttl not supported by this server, ignored (${errType(r) || r.status})`);
}
