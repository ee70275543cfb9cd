// What one dependent hop costs at the least: the bench's own client straight to an upstream.
import { send } from "./probe-connection";
import { median } from "./median";

/**
 * The median time of `count` GETs of one product, sent by the probe's client over its warm
 * keep-alive connection straight to the catalog upstream: the configured latency plus what the
 * demo upstream, the loopback and an HTTP client cost per call. A server that adds nothing of its
 * own answers a request of `hops` dependent calls in hops × this.
 */
export async function upstreamRoundTripMs(catalogUrl: string, apiKey: string, count = 25): Promise<number> {
  const get = () => send(`${catalogUrl}/products/p-0001`, { headers: { "x-api-key": apiKey } });
  for (let i = 0; i < 5; i++) await get(); // connection and code warm
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push((await get()).ms);
  return median(times);
}
