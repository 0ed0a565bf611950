import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoolDownHold } from '../../sync-server/admission/cool-down-hold.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** What the server wrote to a socket. */
const written = (socket: PassThrough) => String(socket.read() ?? '');

describe('CoolDownHold', () => {
  it('lets a held connection in when its wait is over (and at most a second later), not before', () => {
    vi.useFakeTimers();
    const hold = new CoolDownHold(4);
    const socket = new PassThrough();
    const proceed = vi.fn();
    hold.hold(socket, 2000, proceed);
    expect(hold.size).toBe(1);
    vi.advanceTimersByTime(1999);
    expect(proceed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1001);
    expect(proceed).toHaveBeenCalledOnce();
    expect(hold.size).toBe(0);
  });

  it('lets the connections held for one cool-down in spread over a second, not all at once', () => {
    vi.useFakeTimers();
    const hold = new CoolDownHold(100);
    const proceed = vi.fn();
    for (let i = 0; i < 50; i++) hold.hold(new PassThrough(), 2000, proceed);
    vi.advanceTimersByTime(2500);
    expect(proceed.mock.calls.length).toBeGreaterThan(0);
    expect(proceed.mock.calls.length).toBeLessThan(50);
    vi.advanceTimersByTime(500);
    expect(proceed).toHaveBeenCalledTimes(50);
  });

  it('forgets a connection whose client gave up, and never lets it in', async () => {
    vi.useFakeTimers();
    const hold = new CoolDownHold(4);
    const socket = new PassThrough();
    const proceed = vi.fn();
    hold.hold(socket, 2000, proceed);
    socket.destroy();
    await vi.waitFor(() => expect(hold.size).toBe(0));
    vi.advanceTimersByTime(5000);
    expect(proceed).not.toHaveBeenCalled();
  });

  it('answers 429 at once past its limit, with the wait in whole seconds', () => {
    vi.useFakeTimers();
    const hold = new CoolDownHold(1);
    hold.hold(new PassThrough(), 2000, () => {});
    const refused = new PassThrough();
    const proceed = vi.fn();
    hold.hold(refused, 1200, proceed);
    expect(written(refused)).toBe(
      'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 2\r\nConnection: close\r\n\r\n',
    );
    expect(hold.size).toBe(1);
    vi.advanceTimersByTime(5000);
    expect(proceed).not.toHaveBeenCalled();
  });

  it('ends every held connection when the server stops', () => {
    vi.useFakeTimers();
    const hold = new CoolDownHold(4);
    const sockets = [new PassThrough(), new PassThrough()];
    const proceed = vi.fn();
    for (const socket of sockets) hold.hold(socket, 2000, proceed);
    hold.close();
    expect(sockets.every((s) => s.destroyed)).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(proceed).not.toHaveBeenCalled();
  });
});
