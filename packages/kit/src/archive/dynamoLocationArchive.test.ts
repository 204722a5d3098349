import { describeReal } from '../testing/index.js';
import { DynamoLocationArchive } from './dynamoLocationArchive.js';
import { CONTRACT_NOW, locationArchiveContract } from './locationArchive.contract.js';

await describeReal('DynamoLocationArchive', ['dynamodb'], () => {
  locationArchiveContract('dynamodb', async () => {
    return new DynamoLocationArchive({
      endpoint: process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000',
      region: process.env.AWS_REGION ?? 'us-east-1',
      table: process.env.DYNAMODB_TABLE ?? 'uitgo-locations',
      // dynalite accepts any credentials; real AWS takes them from the default chain.
      credentials: {
        accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
        secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      },
      clock: () => CONTRACT_NOW,
    });
  });
});
