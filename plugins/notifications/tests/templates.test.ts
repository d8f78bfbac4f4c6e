import { expect } from 'chai';
import { placeholderValues, renderMessage } from '../lib/render.js';
import { DEFAULT_TEMPLATES, fillTemplate, notificationsConfigSchema, TEMPLATE_TYPES, templateOf, unknownPlaceholders } from '../lib/templates.js';
import defaults from '../../../config/default_config.json' with { type: 'json' };

describe('Notification templates', () => {
	it('GIVEN an event without some values THEN every placeholder is a string, empty when unknown', () => {
		const values = placeholderValues('user.created', { object: { screenName: 'ada' } }, 42, null);
		expect(Object.values(values).every((value) => typeof value === 'string')).to.equal(true);
		expect(fillTemplate('{title}|{owner}|{duration}|{mention}|{url}|{type}|{nope}', values)).to.equal('ada|||||user.created|{nope}');
		expect(placeholderValues('entry.ready', { object: { id: '0_x', duration: 3725, categoriesIds: '1,2' } }, 42, '9')).to.include({
			duration: '1:02:05',
			category: '1, 2',
			mention: '<@&9>',
			url: 'https://42.mediaspace.kaltura.com/media/t/0_x'
		});
	});

	it('GIVEN a guild template THEN the embed follows it; an empty value drops the trailing separator', () => {
		const body = renderMessage('entry.ready', { object: { id: '0_x', name: 'Hi', description: 'D' } }, 42, null, {
			title: '{title} by {owner}',
			description: '{description}!'
		});
		expect((body.embeds as Record<string, unknown>[])[0]).to.include({ title: 'Hi by', description: 'D!' });
		const empty = renderMessage('entry.ready', { object: {} }, 42, null);
		expect((empty.embeds as Record<string, unknown>[])[0])
			.to.include({ title: 'New video ready' })
			.and.not.have.property('description');
	});

	it('GIVEN the config schema THEN unknown placeholders are refused and defaults fill in', () => {
		expect(unknownPlaceholders('{title} {author} {author} {}')).to.deep.equal(['author', '']);
		const refused = notificationsConfigSchema.safeParse({ templates: { entry: { ready: { title: '{author}' } } } });
		expect(refused.success).to.equal(false);
		expect(refused.error?.issues[0]?.path).to.deep.equal(['templates', 'entry', 'ready', 'title']);
		expect(refused.error?.issues[0]?.message).to.match(/unknown placeholder\(s\) \{author\}; known: \{title\}/);
		const parsed = notificationsConfigSchema.parse({ templates: { entry: { ready: { title: 'T {title}' } } } });
		expect(templateOf(parsed, 'entry.ready')).to.deep.equal({ title: 'T {title}', description: '{description}' });
		expect(templateOf(parsed, 'meeting.cancelled')).to.deep.equal(DEFAULT_TEMPLATES['meeting.cancelled']);
	});

	it('GIVEN config/default_config.json THEN it repeats no template: a guild without any gets the built-in ones from the schema', () => {
		expect(defaults).to.not.have.property('notifications');
		const settings = notificationsConfigSchema.parse({});
		for (const type of TEMPLATE_TYPES) expect(templateOf(settings, type), type).to.deep.equal(DEFAULT_TEMPLATES[type]);
		expect(settings.templates.entry?.ready).to.deep.equal({ title: 'New video ready: {title}', description: '{description}' });
	});
});
