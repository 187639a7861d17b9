#!/usr/bin/env bash
# LocalStack init hook (runs when LocalStack is ready): creates every queue with its
# dead-letter queue and redrive policy, every bucket, and the SES sending identity, under
# RESOURCE_PREFIX — the same resources the local stack and production have.
set -euo pipefail

prefix="${RESOURCE_PREFIX:-local-}"
max_receive="${MAX_RECEIVE_COUNT:-5}"
region="${AWS_DEFAULT_REGION:-us-east-1}"

for queue in emailinput emailoutput reportrequest mailinbound; do
  dlq_url=$(awslocal sqs create-queue --queue-name "${prefix}${queue}-dlq" \
    --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)
  dlq_arn=$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text)
  redrive="{\"deadLetterTargetArn\":\"${dlq_arn}\",\"maxReceiveCount\":${max_receive}}"
  awslocal sqs create-queue --queue-name "${prefix}${queue}" --attributes \
    "$(printf '{"VisibilityTimeout":"60","ReceiveMessageWaitTimeSeconds":"20","MessageRetentionPeriod":"1209600","RedrivePolicy":%s}' \
      "$(printf '%s' "$redrive" | sed 's/"/\\"/g; s/^/"/; s/$/"/')")" >/dev/null
  echo "queue ${prefix}${queue} (dead letters: ${prefix}${queue}-dlq)"
done

for bucket in queuefiles emailattachments reports images rawmail; do
  awslocal s3api create-bucket --bucket "${prefix}${bucket}" --region "$region" >/dev/null
  echo "bucket ${prefix}${bucket}"
done

awslocal ses verify-domain-identity --domain "${MAIL_DOMAIN:-isikhnas.local}" >/dev/null
awslocal ses verify-email-identity --email-address "${MAIL_FROM_ADDRESS:-laporan@isikhnas.local}" >/dev/null
echo "SES identity ${MAIL_DOMAIN:-isikhnas.local}"
