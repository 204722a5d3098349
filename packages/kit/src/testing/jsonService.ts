/**
 * A ts-proto-shaped service definition with a JSON codec, for testing the kit's gRPC plumbing
 * without depending on any service's protos.
 */
type Json = Record<string, unknown>;

const jsonCodec = {
  encode: (message: Json) => ({ finish: () => Buffer.from(JSON.stringify(message)) }),
  decode: (input: Uint8Array) => JSON.parse(Buffer.from(input).toString('utf8')) as Json,
  fromPartial: (message: Json) => message,
};

const unary = (name: string) => ({
  name,
  requestType: jsonCodec,
  requestStream: false,
  responseType: jsonCodec,
  responseStream: false,
  options: {},
} as const);

export const TestServiceDefinition = {
  name: 'TestService',
  fullName: 'uitgo.test.v1.TestService',
  methods: {
    echo: unary('Echo'),
    fail: unary('Fail'),
    slow: unary('Slow'),
    watch: { ...unary('Watch'), responseStream: true },
  },
} as const;
