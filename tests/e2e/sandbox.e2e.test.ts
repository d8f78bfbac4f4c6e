import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
const ESC = '\u001b';

/** Types a session into `npm run sandbox` as a person would (stdin is a pipe, so no colours) and returns what it printed. */
function runSandbox(lines: readonly string[], dataDirectory: string): Promise<{ code: number | null; output: string }> {
	return new Promise((done, fail) => {
		const child = spawn('npm', ['run', '--silent', 'sandbox'], {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_DATA_DIR: dataDirectory },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			fail(new Error(`The sandbox did not finish within 150 s. Output:\n${output}`));
		}, 150_000);
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.on('exit', (code) => {
			clearTimeout(timer);
			done({ code, output });
		});
		child.stdin.end(`${lines.join('\n')}\nquit\n`);
	});
}

/** What the sandbox printed for each typed line: it echoes `member> line` before the line's output. */
function repliesByLine(output: string, lines: readonly string[]): string[] {
	const echoes: { start: number; end: number }[] = [];
	let from = 0;
	for (const [index, line] of lines.entries()) {
		const typed = line.replace(/\s+#\s.*$/, '').trim();
		const echo = new RegExp(`^\\w+> ${typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm').exec(output.slice(from));
		if (!echo) throw new Error(`The sandbox did not echo line ${index + 1} ("${typed}"). Output:\n${output}`);
		echoes.push({ start: from + echo.index, end: from + echo.index + echo[0].length });
		from = from + echo.index + echo[0].length;
	}
	return echoes.map((echo, index) => output.slice(echo.end, echoes[index + 1]?.start ?? output.length));
}

/** The lines of the README's sandbox script, as a person types them (without the `member> ` prompt). */
function readmeScript(): string[] {
	const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('### Try it without any account'));
	const block = /```\n((?:\w+> .*\n)+)```/.exec(section);
	if (!block) throw new Error('README.md has no sandbox script (lines "member> command") under "Try it without any account"');
	return block[1]!
		.trimEnd()
		.split('\n')
		.map((line) => line.replace(/^\w+> /, ''));
}

/** For each line of the README's script, in order, what its reply must show. */
const README_REPLIES: readonly (readonly [string, RegExp])[] = [
	['/plugins enable plugin:meetings', /bot \(only you can see this\):\n {2}The meetings plugin is now on in this server\./],
	[
		'/meeting start type:classroom title:Weekly standup duration:30',
		/Weekly standup is ready \(Kaltura meeting \d+\)[\s\S]*bot in #general:\n {2}│ Weekly standup\n {2}│ Type\n {2}│ {3}Virtual classroom/
	],
	['as max', /^You are now max \(member\)\./m],
	['press Join', /Your link to Weekly standup, as a participant: open the meeting <https:\/\/1000001\.kaf\.kaltura\.com\//],
	['/plugins enable plugin:videos', /Turning plugins on or off needs the Manage Server permission\./],
	['menu "Kaltura profile" @max', /│ Kaltura profile of max\n {2}│ Kaltura user\n {2}│ {3}discord_1100000000000000033/],
	['/config view', /^You need the Manage Server permission to use \/config, so Discord does not offer it to max\.$/m],
	['as ada', /^You are now ada \(Admins\)\./m],
	['/plugins enable plugin:videos', /The videos plugin is now on in this server\./],
	[
		'/video search query:onboarding',
		/│ Videos matching “onboarding”\n {2}│ Team onboarding, part 1 <https:\/\/1000001\.mediaspace\.kaltura\.com\/media\/t\/\w+> · 22:05/
	],
	['say Shall we go through the launch plan?', /^ada in #general \(message \d+\): Shall we go through the launch plan\?$/m],
	[
		'menu "Start Kaltura meeting" last',
		/is ready \(Kaltura meeting \d+\)[\s\S]*bot in #general:\n {2}│ Shall we go through the launch plan\?\n {2}│ Type\n {2}│ {3}Meeting/
	],
	['/plugins enable plugin:user-sync', /The user-sync plugin is now on in this server\./],
	[
		'/kaltura-sync',
		/bot is thinking…[\s\S]*bot edited its reply \(only you can see this\):\n {2}Synced 4 members to Kaltura in [\d.]+ s: 4 created/
	],
	['/plugins enable plugin:notifications', /The notifications plugin is now on in this server\./],
	[
		'/notifications subscribe channel:#announcements events:entry.ready mention-role:@Moderators',
		/#announcements now gets entry\.ready, mentioning @Moderators\./
	],
	[
		'notify entry-ready',
		/Kaltura sent "entryReady" \(1 attempt; the bot answered 200\)\.\nbot in #announcements:\n {2}@Moderators\n {2}│ New video ready: New upload/
	],
	[
		'/notifications subscribe channel:#general events:live_stream.started,live_stream.ended,user.created',
		/#general now gets live_stream\.started, live_stream\.ended, user\.created/
	],
	['notify live-started', /bot in #general:\n {2}│ Live stream started: Sandbox live stream/],
	['notify live-ended', /bot edited a message in #general:\n {2}│ Live stream ended: Sandbox live stream/],
	['notify user-created', /Kaltura sent "userCreated" \(1 attempt; the bot answered 200\)\.\nbot in #general:\n {2}│ New Kaltura user/],
	['help', /^(?=[\s\S]*menu "Kaltura profile" @member)(?=[\s\S]*menu "Start Kaltura meeting" <message>)(?=[\s\S]*is quoted)/]
];

describe('npm run sandbox', function () {
	this.timeout(300_000);

	it("GIVEN the README's sandbox script typed as written THEN every line gets the reply it promises, in plain text", async () => {
		const script = readmeScript();
		expect(script.map((line) => line.replace(/\s+#\s.*$/, '').trim())).to.deep.equal(README_REPLIES.map(([line]) => line));
		const dataDirectory = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
		const { code, output } = await runSandbox(script, dataDirectory);
		expect(code, output).to.equal(0);
		expect(output).to.include('Sandbox ready: server "Sandbox Community" with #general, #announcements, #videos');
		const replies = repliesByLine(output, script);
		for (const [index, [line, expected]] of README_REPLIES.entries()) {
			expect(replies[index], `the reply to "${line}"`).to.match(expected);
		}
		// Nothing of the stand-ins' own diagnostics, no colour codes in a pipe or in the bot's log file.
		expect(output).not.to.match(/Discord stand-in:|undefined|timed out/);
		expect(output).not.to.include(ESC);
		const log = readFileSync(join(dataDirectory, 'bot.log'), 'utf8');
		expect(log).to.include('Plugin "user-sync" v');
		expect(log).not.to.include(ESC);
	});

	it('GIVEN what Discord refuses before sending (unknown command, missing permission, option limits) THEN the answer is immediate and in words', async () => {
		const longValue = 'x'.repeat(3000);
		const lines = [
			'/nope',
			`/config set key:videos.resultLimit value:${longValue}`,
			'/video search query:',
			'/meeting start type:party title:Launch',
			'/meeting start type:meeting title:Launch duration:0',
			'/notifications frobnicate',
			'as max',
			'/config view',
			'menu "Kaltura profile" @nobody'
		];
		const started = Date.now();
		const { code, output } = await runSandbox(lines, mkdtempSync(join(tmpdir(), 'sandbox-test-')));
		expect(code, output).to.equal(0);
		const replies = repliesByLine(output, lines);
		expect(replies[0]).to.match(/^No such command: \/nope\. The bot's commands: \/about, /m);
		expect(replies[1]).to.include('/config set value: at most');
		expect(replies[1]).to.include('(you typed 3000)');
		expect(replies[2]).to.include('/video search needs query: filled in.');
		expect(replies[3]).to.match(/\/meeting start type: pick one of /);
		expect(replies[4]).to.match(/\/meeting start duration: at least \d+\./);
		expect(replies[5]).to.match(/\/notifications has no sub-command "frobnicate"; it has: subscribe, /);
		expect(replies[7]).to.include('You need the Manage Server permission to use /config');
		expect(replies[8]).to.include('Whose profile?');
		expect(output).not.to.match(/Discord stand-in:|default_member_permissions|bypassPermissions|did not respond/);
		// Nothing waited for the bot: a refusal never reaches it.
		expect(Date.now() - started).to.be.below(60_000);
	});

	it('GIVEN a subscription and a meeting made in one run THEN after a restart they still point at the same channel, role and meeting', async () => {
		const dataDirectory = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
		const first = await runSandbox(
			[
				'/plugins enable plugin:notifications',
				'/notifications subscribe channel:#announcements events:entry.ready mention-role:@Moderators',
				'/plugins enable plugin:meetings',
				'/meeting start type:meeting title:Before the restart duration:30'
			],
			dataDirectory
		);
		expect(first.code, first.output).to.equal(0);
		expect(first.output).to.include('#announcements now gets entry.ready, mentioning @Moderators.');

		const lines = ['notify entry-ready', '/notifications list', '/meeting list', 'messages #general'];
		const second = await runSandbox(lines, dataDirectory);
		expect(second.code, second.output).to.equal(0);
		const replies = repliesByLine(second.output, lines);
		expect(replies[0]).to.match(/bot in #announcements:\n {2}@Moderators\n {2}│ New video ready: New upload/);
		expect(replies[1]).to.include('#announcements');
		expect(replies[2]).to.match(/Before the restart · Meeting · .* · host @ada · 30001/);
		expect(replies[3]).to.match(/bot in #general:\n {2}│ Before the restart/);
	});
});
