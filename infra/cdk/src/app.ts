// Builds the CDK app: the live stack and, unless live.withSidecar is false, the training
// Sidecar stack in live's network; with monitor.region set, the off-site monitor's stack. Settings come from context: the `live` and `training`
// objects of cdk.json, overridden by `-c live.<setting>=…` / `-c training.<setting>=…`.
import { App, type AppProps } from "aws-cdk-lib";
import { LiveStack } from "./live-stack.js";
import { MonitorStack } from "./monitor-stack.js";
import { stackName } from "./names.js";
import {
  type DeploymentSettings,
  type LiveSettings,
  parseMonitorSettings,
  parseSettings,
  type SidecarSettings,
} from "./settings.js";
import { SidecarStack } from "./sidecar-stack.js";

export interface InfraApp {
  app: App;
  live: LiveStack;
  sidecar: SidecarStack | undefined;
  monitor: MonitorStack | undefined;
}

function environmentContext(app: App, environment: "live" | "training" | "monitor"): Record<string, unknown> {
  const all = app.node.getAllContext();
  const base = all[environment];
  const settings: Record<string, unknown> = typeof base === "object" && base !== null ? { ...base } : {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(`${environment}.`)) settings[key.slice(environment.length + 1)] = value;
  }
  return { ...settings, environment };
}

function expect<E extends DeploymentSettings["environment"]>(
  settings: DeploymentSettings,
  environment: E,
): Extract<DeploymentSettings, { environment: E }> {
  if (settings.environment !== environment) throw new Error(`expected ${environment} settings`);
  return settings as Extract<DeploymentSettings, { environment: E }>;
}

export function createInfraApp(props: AppProps = {}): InfraApp {
  const app = new App(props);
  const liveSettings: LiveSettings = expect(parseSettings(environmentContext(app, "live")), "live");
  const live = new LiveStack(app, stackName(liveSettings.prefix), { settings: liveSettings });
  const { environment: _, ...monitorContext } = environmentContext(app, "monitor");
  const monitor =
    monitorContext.region === undefined
      ? undefined
      : new MonitorStack(app, `${stackName(liveSettings.prefix)}-monitor`, {
          live: liveSettings,
          settings: parseMonitorSettings(monitorContext, liveSettings),
        });
  if (!liveSettings.withSidecar) return { app, live, sidecar: undefined, monitor };

  // The Sidecar's prefix is the one live's settings name its secret by.
  const sidecarSettings: SidecarSettings = expect(
    parseSettings({
      region: liveSettings.region,
      account: liveSettings.account,
      ...environmentContext(app, "training"),
      prefix: liveSettings.sidecarPrefix,
    }),
    "training",
  );
  const sidecar = new SidecarStack(app, stackName(sidecarSettings.prefix), {
    settings: sidecarSettings,
    vpc: live.network.vpc,
    clients: live.network.appHosts,
    liveDatabase: live.database.securityGroup,
  });
  return { app, live, sidecar, monitor };
}
