import { describe, expect, it } from 'vitest';
import { refineCategory } from '../../../shared/logs/categories.js';

/**
 * The failing step's title decides a generic failure's category; a build step's does not make an error thrown while
 * the code ran a compile error (test/fixtures/toolchains: node-build-script-typeerror.log,
 * python-build-script-keyerror.log, real output of node 22 and python 3.11). Other steps' titles still decide.
 */
describe('the category a step\'s title gives', () => {
  const thrownInV8 = "TypeError: Cannot read properties of undefined (reading 'title')\n    at render (/app/build.js:4:27)";

  it('is no compile error for an error thrown at run time, and the step\'s otherwise', () => {
    // Act
    const categories = {
      node: refineCategory(thrownInV8, 'unknown', 'Run node build.js'),
      python: refineCategory('Traceback (most recent call last):\n  File "/app/build.py", line 7, in <module>', 'unknown', 'Run python build.py'),
      jvm: refineCategory('Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"', 'unknown', 'Run mvn -q exec:java'),
      make: refineCategory('make: *** [Makefile:12: all] Error 2', 'unknown', 'Run make'),
      exitCode: refineCategory('##[error]Process completed with exit code 1.', 'unknown', 'Run npm run build'),
      test: refineCategory(thrownInV8, 'unknown', 'Run npm test'),
      install: refineCategory("KeyError: 'DATABASE_URL'", 'unknown', 'Run pip install -r requirements.txt'),
    };
    // Assert
    expect(categories).toEqual({
      node: 'unknown',
      python: 'unknown',
      jvm: 'unknown',
      make: 'compilation',
      exitCode: 'compilation',
      test: 'test_failure',
      install: 'dependency',
    });
  });
});
