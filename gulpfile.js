const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only .js; the editor loads node and credential icons from dist, next to the code.
task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { encoding: false, base: '.' }).pipe(
		dest(path.resolve('dist')),
	),
);
