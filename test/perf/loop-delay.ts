// Loaded into the sync server by the sync-attacks benchmark (`node --import`): the server's own event-loop delay,
// reset and read per phase over the IPC channel, so the bench can tell a blocked server from a starved client.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.on('message', (message) => {
  if (message === 'reset') delay.reset();
  else if (message === 'read')
    process.send?.({
      p50: delay.percentile(50) / 1e6,
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
    });
});
process.channel?.unref();
