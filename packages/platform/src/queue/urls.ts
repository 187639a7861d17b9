// Resolves logical queue names to queue URLs under a deployment prefix. URLs never change
// for the life of a queue, so each is looked up once per SQS client.
import { GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from "@aws-sdk/client-sqs";
import { PlatformError } from "../errors.js";
import { deadLetterQueueName, physicalQueueName } from "../resources.js";

const cache = new WeakMap<SQSClient, Map<string, Promise<string>>>();

async function lookUp(sqs: SQSClient, name: string): Promise<string> {
  try {
    const result = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!result.QueueUrl) throw new Error("GetQueueUrl returned no URL");
    return result.QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) {
      throw new PlatformError("NOT_FOUND", `queue ${name} does not exist`, { cause: error });
    }
    throw new PlatformError("TRANSIENT", `could not look up queue ${name}`, { cause: error });
  }
}

/** The URL of a queue by its physical name; failures are not cached, so a later call retries. */
export function queueUrlByName(sqs: SQSClient, name: string): Promise<string> {
  let urls = cache.get(sqs);
  if (!urls) {
    urls = new Map();
    cache.set(sqs, urls);
  }
  const known = urls.get(name);
  if (known) return known;
  const pending = lookUp(sqs, name);
  urls.set(name, pending);
  pending.catch(() => urls.delete(name));
  return pending;
}

export function queueUrl(sqs: SQSClient, prefix: string, queue: string): Promise<string> {
  return queueUrlByName(sqs, physicalQueueName(prefix, queue));
}

export function deadLetterQueueUrl(sqs: SQSClient, prefix: string, queue: string): Promise<string> {
  return queueUrlByName(sqs, deadLetterQueueName(prefix, queue));
}
