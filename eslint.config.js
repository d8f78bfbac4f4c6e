// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.stryker-tmp/', 'reports/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-console': 'error'
		}
	},
	{
		// Tests and benchmarks print their figures and skip notices.
		files: ['tests/**/*.ts', 'bench/**/*.ts'],
		rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' }
	}
);
