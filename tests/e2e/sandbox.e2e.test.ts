import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect } from 'chai';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

/** Types a session into `npm run sandbox` as a person would and returns what the terminal showed. */
function runSandbox(lines: readonly string[]): Promise<{ code: number | null; output: string }> {
	return new Promise((done, fail) => {
		const child = spawn('npm', ['run', '--silent', 'sandbox'], {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_DATA_DIR: mkdtempSync(join(tmpdir(), 'sandbox-test-')) },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			fail(new Error(`The sandbox did not finish within 80 s. Output:\n${output}`));
		}, 80_000);
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.on('exit', (code) => {
			clearTimeout(timer);
			done({ code, output: stripVTControlCharacters(output) });
		});
		child.stdin.end(`${lines.join('\n')}\n`);
	});
}

describe('npm run sandbox', function () {
	this.timeout(90_000);

	it('GIVEN a person typing commands as different members THEN the replies are rendered readably and it exits cleanly', async () => {
		const { code, output } = await runSandbox([
			'/plugins list',
			'/plugins enable plugin:videos',
			'as max',
			'/video search query:onboarding',
			'/plugins disable plugin:videos',
			'notify entry-ready',
			'as ada',
			'/plugins enable plugin:meetings',
			'/meeting start type:meeting title:Weekly standup duration:30',
			'as max',
			'press Join',
			'as kim',
			'/meeting end meeting:30001',
			'press End meeting for everyone',
			'as ada',
			'/plugins enable plugin:notifications',
			'/notifications subscribe channel:#announcements events:entry.ready mention-role:@Moderators',
			'notify entry-ready',
			'/notifications subscribe channel:#general events:live_stream.started,live_stream.ended,meeting.scheduled,meeting.cancelled',
			'notify live-started',
			'notify live-ended',
			'notify meeting-scheduled',
			'notify meeting-cancelled',
			'quit'
		]);
		expect(code, output).to.equal(0);
		expect(output).to.include('Sandbox ready: server "Sandbox Community"');
		expect(output).to.match(/bot \(only you can see this\):\n {2}│ Plugins\n(?: {2}│ .*\n)* {2}│ videos v1\.0\.0 — ⚪ off/);
		expect(output).to.include('The videos plugin is now on in this server.');
		expect(output).to.include('You are now max (member).');
		expect(output).to.match(/│ Videos matching “onboarding”\n {2}│ Team onboarding, part 1 <https:\/\/1000001\.mediaspace\.kaltura\.com\/media\/t\/\w+> · 22:05/);
		expect(output).to.include('Turning plugins on or off needs the Manage Server permission.');
		expect(output).to.match(/Kaltura sent "entryReady" \(\d attempts?; the bot answered/);
		expect(output).to.match(/bot in #general:\n {2}│ Weekly standup\n {2}│ Type\n {2}│ {3}Meeting\n {2}│ Host\n {2}│ {3}@ada/);
		expect(output).to.include('Your link to Weekly standup, as a participant');
		expect(output).to.include('Weekly standup has ended for everyone.');
		expect(output).to.include('⚪ Ended');
		expect(output).to.include('#announcements now gets entry.ready, mentioning @Moderators.');
		expect(output).to.match(/bot in #announcements:\n {2}@Moderators\n {2}│ New video ready: New upload/);
		expect(output).to.match(/bot in #general:\n {2}│ Live stream started: Sandbox live stream/);
		expect(output).to.match(/bot edited a message in #general:\n {2}│ Live stream ended: Sandbox live stream/);
		expect(output).to.match(/bot in #general:\n {2}│ Meeting scheduled: Sandbox office hours/);
		expect(output).to.match(/bot edited a message in #general:\n {2}│ Meeting cancelled: Sandbox office hours/);
		expect(output).to.include('Stopping the bot and the stand-ins…');
	});
});
