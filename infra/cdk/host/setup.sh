# Host setup, run once by cloud-init as root after the variables above it are set:
# ISIKHNAS_REGION, PARAMETER_PATH, RELEASE_BUCKET, RELEASE_KEY, NODE_VERSION,
# DAEMONS ("name:unit …"), WITH_SMSTOOLS (yes|no), MODEM_DEVICE (smsd's device, or empty).
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
