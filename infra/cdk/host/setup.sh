# Host setup, run once by cloud-init as root after the variables above it are set:
# ISIKHNAS_REGION, PARAMETER_PATH, RELEASE_BUCKET, RELEASE_KEY, NODE_VERSION,
# DAEMONS ("name:unit …"), WITH_SMSTOOLS (yes|no), MODEM_DEVICE (smsd's device, or empty);
# and /etc/isikhnas/cloudwatch-agent.json (this host's log files → their log groups).
# Ubuntu 24.04, where smstools is packaged.
set -euxo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q jq curl ca-certificates xz-utils
if [ "$WITH_SMSTOOLS" = yes ]; then apt-get install -y -q smstools; fi
# pg_dump/pg_restore of RDS's major version (15) for `isikhnas training refresh`: Ubuntu
# 24.04 ships 16, so from PostgreSQL's own apt repository, set up by postgresql-common.
apt-get install -y -q postgresql-common
/usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y
apt-get install -y -q postgresql-client-15
command -v aws >/dev/null || snap install aws-cli --classic
export PATH="/snap/bin:$PATH"

# Node.js (NODE_VERSION, 24 LTS by default) from nodejs.org, checked against the published SHA-256 sums.
arch="$(dpkg --print-architecture | sed 's/amd64/x64/')"
node_dir="node-v$NODE_VERSION-linux-$arch"
cd /tmp
curl -fsSLO "https://nodejs.org/dist/v$NODE_VERSION/$node_dir.tar.xz"
curl -fsSL "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt" | grep " $node_dir.tar.xz\$" | sha256sum -c -
mkdir -p /usr/local/lib/nodejs
tar -xJf "$node_dir.tar.xz" -C /usr/local/lib/nodejs
ln -sf "/usr/local/lib/nodejs/$node_dir/bin/node" /usr/bin/node

id isikhnas >/dev/null 2>&1 || useradd --system --home-dir /opt/isikhnas --shell /usr/sbin/nologin isikhnas
if [ "$WITH_SMSTOOLS" = yes ]; then
  usermod -aG smsd isikhnas
fi
mkdir -p /etc/isikhnas /opt/isikhnas /var/lib/isikhnas
chown isikhnas:isikhnas /var/lib/isikhnas
chgrp isikhnas /etc/isikhnas
chmod 0750 /etc/isikhnas
# PostgreSQL URLs verify the server against the RDS certificate authorities.
curl -fsSL -o /etc/isikhnas/rds-ca.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
chmod 0644 /etc/isikhnas/rds-ca.pem
cat >/etc/isikhnas/host.conf <<CONF
ISIKHNAS_REGION=$ISIKHNAS_REGION
PARAMETER_PATH=$PARAMETER_PATH
CA_BUNDLE=/etc/isikhnas/rds-ca.pem
CONF
install -m 0755 /tmp/isikhnas-write-env /usr/local/sbin/isikhnas-write-env

# Logs: each unit appends its output to /var/log/isikhnas/<daemon>.log (StandardOutput=append:),
# which the CloudWatch agent ships to the daemon's log group (see src/constructs/logs.ts for why
# files and not the agent's journald input). The files are made here, readable by the agent's
# user through the adm group, before any unit opens them.
apt-get install -y -q gnupg logrotate
cd /tmp
agent_base="https://amazoncloudwatch-agent.s3.amazonaws.com"
curl -fsSLO "$agent_base/ubuntu/$(dpkg --print-architecture)/latest/amazon-cloudwatch-agent.deb"
curl -fsSLO "$agent_base/ubuntu/$(dpkg --print-architecture)/latest/amazon-cloudwatch-agent.deb.sig"
curl -fsSLO "$agent_base/assets/amazon-cloudwatch-agent.gpg"
# The key AWS publishes for the agent, checked by its documented fingerprint before it is trusted.
export GNUPGHOME=/tmp/cwagent-gnupg
mkdir -p -m 0700 "$GNUPGHOME"
gpg --show-keys --with-colons amazon-cloudwatch-agent.gpg | grep -q '^fpr:*937616F3450B7D806CBD9725D58167303B789C72:'
gpg --import amazon-cloudwatch-agent.gpg
gpg --verify amazon-cloudwatch-agent.deb.sig amazon-cloudwatch-agent.deb
dpkg -i -E amazon-cloudwatch-agent.deb
unset GNUPGHOME
usermod -aG adm cwagent
install -d -o root -g adm -m 0750 /var/log/isikhnas
for entry in $DAEMONS; do
  install -o root -g adm -m 0640 /dev/null "/var/log/isikhnas/${entry%%:*}.log"
done
# systemd holds each file open in append mode: rotate by copy and truncate, which the agent
# follows (it reads a truncated file again from its start).
cat >/etc/logrotate.d/isikhnas <<'LOGROTATE'
/var/log/isikhnas/*.log {
  daily
  rotate 7
  compress
  delaycompress
  missingok
  notifempty
  copytruncate
}
LOGROTATE
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c file:/etc/isikhnas/cloudwatch-agent.json

# The release: built apps with their node_modules, and infra/ (systemd units, smsd.conf).
aws s3 cp --region "$ISIKHNAS_REGION" "s3://$RELEASE_BUCKET/$RELEASE_KEY" /tmp/release.tar.gz
tar -xzf /tmp/release.tar.gz -C /opt/isikhnas
chown -R root:root /opt/isikhnas
if [ "$WITH_SMSTOOLS" = yes ]; then
  sample=/opt/isikhnas/infra/smstools/smsd.conf
  if [ -n "$MODEM_DEVICE" ] && [ -f "$sample" ]; then
    # Watch mode (the sample's eventhandler line stays commented out).
    sed -e "s#^device = .*#device = $MODEM_DEVICE#" "$sample" >/etc/smsd.conf
    systemctl enable smstools
    systemctl restart smstools
  else
    # Without a modem smsd would retry its default device forever: it waits for the operator.
    systemctl disable --now smstools || true
    if [ -f "$sample" ]; then install -m 0644 "$sample" /etc/smsd.conf.isikhnas-sample; fi
  fi
fi

for entry in $DAEMONS; do
  name="${entry%%:*}"
  unit="${entry#*:}"
  source_unit="/opt/isikhnas/infra/systemd/$unit.service"
  if [ ! -f "$source_unit" ]; then
    echo "isikhnas: no unit $source_unit in this release; $name not installed" >&2
    continue
  fi
  if [ "$name" = "$unit" ]; then
    cp "$source_unit" "/etc/systemd/system/$name.service"
  else
    # A second instance of a unit (sms-gateway-training): its own env file and spool.
    suffix="${name#"$unit"-}"
    sed -e "s#/etc/isikhnas/$unit.env#/etc/isikhnas/$name.env#" \
      -e "s#/var/log/isikhnas/$unit.log#/var/log/isikhnas/$name.log#" \
      -e "s#^ReadWritePaths=/var/spool/sms\$#ReadWritePaths=/var/spool/sms-$suffix#" \
      "$source_unit" >"/etc/systemd/system/$name.service"
    if [ "$unit" = sms-gateway ]; then
      for dir in incoming outgoing checked sent failed; do
        install -d -o smsd -g smsd -m 2770 "/var/spool/sms-$suffix/$dir"
      done
    fi
  fi
  mkdir -p "/etc/systemd/system/$name.service.d"
  # Fresh settings and secrets at every start; '+' runs the writer as root outside the sandbox.
  printf '[Service]\nExecStartPre=+/usr/local/sbin/isikhnas-write-env %s\n' "$name" \
    >"/etc/systemd/system/$name.service.d/10-env.conf"
  touch "/etc/isikhnas/$name.env"
  /usr/local/sbin/isikhnas-write-env "$name" || echo "isikhnas: settings of $name not readable yet; the unit retries" >&2
  # A daemon's timer (report-generator's schedule tick) comes with it, reading its env file.
  for timer in /opt/isikhnas/infra/systemd/"$unit"-*.timer; do
    [ -f "$timer" ] || continue
    base="$(basename "$timer" .timer)"
    cp "/opt/isikhnas/infra/systemd/$base.service" "/etc/systemd/system/$base.service"
    cp "$timer" "/etc/systemd/system/$base.timer"
    systemctl daemon-reload
    systemctl enable --now "$base.timer"
  done
  systemctl daemon-reload
  systemctl enable "$name.service"
  systemctl start --no-block "$name.service"
done
