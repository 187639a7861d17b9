// Names shared between the stacks and the hosts, derived from a deployment's prefix.

/** Secrets Manager name of a deployment's database credentials (read by name across stacks). */
export function databaseSecretName(prefix: string): string {
  return `${prefix}database`;
}

/** SSM path of the daemons' settings parameters: /isikhnas-live/env/<daemon>. */
export function settingsParameterPath(prefix: string): string {
  return `/${prefix.replace(/-$/, "")}/env/`;
}

/** Stack name of a deployment: the prefix without its dash (isikhnas-live). */
export function stackName(prefix: string): string {
  return prefix.replace(/-$/, "");
}
