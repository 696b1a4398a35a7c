/**
 * The one wire contract: every command of the tables in shared/commands.ts has a handler
 * bound on the centre, and (checked by `tsc --noEmit -p .`) a handler returning the wrong shape fails.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { candidateCommands, staffCommands, type CandidateCommands, type CommandHandlers } from '../shared/commands';
import { candidateCommandHandlers, type CandidateNamespaceDeps } from './candidate-namespace';
import { bindCommands } from './socket-command';
import { staffCommandHandlers, type StaffNamespace, type StaffNamespaceDeps, type StaffSocket } from './staff-namespace';

// Building the handler objects touches no dependency: they are only called per command.
const noDeps = {} as CandidateNamespaceDeps;

describe("the command tables and the centre's handlers", () => {
  it('every /candidate command has a handler, and nothing else does', () => {
    expect(Object.keys(candidateCommandHandlers('s', noDeps)).sort()).toEqual(Object.keys(candidateCommands).sort());
  });
  it('every /staff command has a handler, and nothing else does', () => {
    const handlers = staffCommandHandlers({} as StaffNamespace, {} as StaffSocket, {} as StaffNamespaceDeps);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(staffCommands).sort());
  });
  it('bindCommands binds each command of the table on the socket', () => {
    const socket = new EventEmitter();
    bindCommands(socket, candidateCommands, () => undefined, candidateCommandHandlers('s', noDeps));
    expect(socket.eventNames().map(String).sort()).toEqual(Object.keys(candidateCommands).sort());
  });
  it('bindCommands refuses a table command without a handler', () => {
    const partial = { 'exam:resume': candidateCommands['exam:resume'], 'exam:start': candidateCommands['exam:start'] };
    const handlers = { 'exam:resume': () => ({}) } as unknown as CommandHandlers<typeof partial>;
    expect(() => bindCommands(new EventEmitter(), partial, () => undefined, handlers)).toThrow(/no handler for the command exam:start/);
  });
});

/* Type-level checks: never run, checked by tsc. Each @ts-expect-error fails tsc if the line stops being an error. */
export function typeChecks(): void {
  const h: Partial<CommandHandlers<CandidateCommands>> = {
    // @ts-expect-error exam:navigate answers { index: number }, not a string
    'exam:navigate': () => ({ index: 'one' }),
    // @ts-expect-error event:log answers { seq, duplicate }
    'event:log': async () => ({ seq: 1 }),
  };
  void h;
}
