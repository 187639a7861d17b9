// Settings of a test deployment, as cdk.json's context would hold them.
export const TEST_PREFIX = "isikhnas-test-";
export const TEST_SIDECAR_PREFIX = "isikhnas-test-training-";

export function testContext(live: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    live: {
      prefix: TEST_PREFIX,
      sidecarPrefix: TEST_SIDECAR_PREFIX,
      account: "123456789012",
      mailDomain: "isikhnas.example.id",
      alertEmail: "Ops@Isikhnas.Example.id",
      releaseBucket: "isikhnas-releases-test",
      ...live,
    },
  };
}
