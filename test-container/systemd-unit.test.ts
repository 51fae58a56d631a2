import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run, runOk } from './support/process.js';

// deploy/todo-manager.service as systemd reads it: no unknown or misplaced settings, and the
// hardening it claims. Nothing here starts it: that needs systemd as the machine's init.

const UNIT = new URL('../deploy/todo-manager.service', import.meta.url).pathname;

/** The unit in a temporary folder, with ExecStart's node where this machine has it. */
async function unitCopy(): Promise<{ path: string; text: string; dispose: () => Promise<void> }> {
  let text = await readFile(UNIT, 'utf8');
  if (!existsSync('/usr/bin/node'))
    text = text.replace('ExecStart=/usr/bin/node', `ExecStart=${process.execPath}`);
  const dir = await mkdtemp(join(tmpdir(), 'todo-manager-unit-'));
  const path = join(dir, 'todo-manager.service');
  await writeFile(path, text);
  return { path, text, dispose: () => rm(dir, { recursive: true, force: true }) };
}

test('systemd-analyze verify accepts the unit', async () => {
  const unit = await unitCopy();
  try {
    const verify = await run('systemd-analyze', ['verify', unit.path], { timeoutMs: 60_000 });
    assert.equal(verify.code, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), '', 'no warnings');
  } finally {
    await unit.dispose();
  }
});

test('the unit is hardened: exposure below 2 out of 10 in systemd-analyze security', async () => {
  const unit = await unitCopy();
  try {
    const security = await runOk('systemd-analyze', ['security', '--offline=yes', '--no-pager', unit.path], {
      timeoutMs: 60_000,
    });
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(security.stdout)?.[1]);
    assert.ok(exposure < 2, `exposure ${exposure}:\n${security.stdout}`);
    for (const setting of [
      'DynamicUser=yes',
      'StateDirectory=todo-manager',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'CapabilityBoundingSet=\n',
      'SystemCallFilter=@system-service',
      'EnvironmentFile=/etc/todo-manager/env',
      'KillSignal=SIGTERM',
      'Restart=on-failure',
    ]) {
      assert.ok(unit.text.includes(setting), setting);
    }
    assert.doesNotMatch(
      unit.text,
      /^MemoryDenyWriteExecute=yes/m,
      "V8's compiler needs writable, executable memory",
    );
  } finally {
    await unit.dispose();
  }
});
