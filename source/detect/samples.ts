import type { PidsReading, ResourceReading } from '../docker/cgroup-reader.js';

/** A pids reading with the time it was taken (ms). From cgroups every tick, or the stats API. */
export interface PidsSample extends PidsReading {
  time: number;
}

/** A resource reading with the time it was taken (ms). */
export interface ResourceSample extends ResourceReading {
  time: number;
}

/** What a detector found: the alert's message and fields are built from it. */
export interface Finding {
  message: string;
  fields: Record<string, unknown>;
}
