/**
 * An async-iterable view of an emitter's events: `for await (const event of handle.events)`.
 * Each iteration subscribes afresh and sees the events emitted after it started; it ends when the
 * watcher stops. Events queue while the consumer is busy (drift events are rare; nothing is dropped).
 */
import type { EventEmitter } from 'node:events';

export function eventStream<T>(emitter: EventEmitter, event: string, endEvent: string): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const queue: T[] = [];
      let ended = false;
      let wake: (() => void) | undefined;
      const onEvent = (value: T): void => {
        queue.push(value);
        wake?.();
      };
      const onEnd = (): void => {
        ended = true;
        wake?.();
      };
      const unsubscribe = (): void => {
        emitter.off(event, onEvent);
        emitter.off(endEvent, onEnd);
      };
      emitter.on(event, onEvent);
      emitter.once(endEvent, onEnd);
      return {
        async next(): Promise<IteratorResult<T>> {
          while (queue.length === 0 && !ended) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
          const value = queue.shift();
          if (value !== undefined) return { value, done: false };
          unsubscribe();
          return { value: undefined, done: true };
        },
        async return(): Promise<IteratorResult<T>> {
          unsubscribe();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
