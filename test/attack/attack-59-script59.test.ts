import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

// Attack on session 59's scripting/JavaScript rules (branch script59): realistic logs the rules were not written
// for, each from a real run of the tool on this machine where one could be made. Each row failed before its fix.

describe("attack 59 (script59): the session's rules on other tools' output and other runs of the same tools", () => {
  it("lists Composer's `- Root composer.json requires … but it does not match the constraint.` under its `Problem 1` (an `until` block's own headline the line filter passes over)", async () => {
    // Prepare: Debian 12's Composer 2.5.5, `composer update` over a constraint no version meets, and a conflict
    const log = [
      'Loading composer repositories with package information',
      'Updating dependencies',
      'Your requirements could not be resolved to an installable set of packages.',
      '',
      '  Problem 1',
      '    - Root composer.json requires acme/log ^9.0, found acme/log[1.0.0] but it does not match the constraint.',
      '  Problem 2',
      '    - Root composer.json requires acme/http ^2.0 -> satisfiable by acme/http[2.1.0].',
      '    - acme/http 2.1.0 requires acme/log ^1.0 -> found acme/log[1.0.0] but it conflicts with your root composer.json require (^9.0).',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6, 7, 8, 9]));
  });

  it("reads size-limit's `Size Limit can’t find files at dist/b.js` (a typographic apostrophe) as the check's failure, with its entry's name, next to an entry over budget", async () => {
    // Prepare: size-limit 12.1.0 with @size-limit/file, two entries, the second's file not built (CI=true: colour)
    const log = [
      '##[group]Run npx size-limit',
      'npx size-limit',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '  ',
      '  \u001b[1mcore\u001b[22m',
      '  \u001b[31mPackage size limit has exceeded by 3.06 kB\u001b[39m',
      '  Size limit: \u001b[31m\u001b[1m10 B\u001b[22m\u001b[39m',
      '  Size:       \u001b[31m\u001b[1m3.07 kB\u001b[22m\u001b[39m \u001b[90mbrotlied\u001b[39m',
      '  ',
      '  \u001b[1mextra\u001b[22m',
      '  \u001b[31mSize Limit can’t find files at dist/b.js\u001b[39m',
      '  \u001b[33mTry to reduce size or increase limit in \u001b[1m"size-limit"\u001b[22m section of \u001b[1mpackage.json\u001b[22m\u001b[39m',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8, 9, 11, 12]));
  });

  it("reads size-limit's lone `Size Limit can’t find files at …` (the build step did not run) as the failure, not as the step's last words", async () => {
    // Prepare: size-limit 12.1.0, one entry whose file is missing
    const log = [
      '##[group]Run npx size-limit',
      'npx size-limit',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '  ',
      '  \u001b[31mSize Limit can’t find files at dist/b.js\u001b[39m',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).not.toBe('generic.step-output');
    expect(analysis.category).toBe('configuration');
  });

  it("reads size-limit's `Total time limit has exceeded` (a time budget, @size-limit/time) as size-limit's report too", async () => {
    // Prepare: size-limit 12.1.0's reporter (create-reporter.js) for a check with a time limit
    const log = [
      '  ',
      '  Total time limit has exceeded',
      '  Time limit:   200 ms',
      '  Size:         12.4 kB with all dependencies, minified and brotlied',
      '  Loading time: 243 ms  on slow 3G',
      '  Running time: 108 ms  on Snapdragon 410',
      '  Total time:   351 ms',
      '  ',
      '  Try to reduce size or increase limit in "size-limit" section of package.json',
      'Error: Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('size-limit.exceeded');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 7]));
  });

  it("reads miette's ASCII frame under Next.js's `Error:   x Expected …` (next-swc-loader, swc-loader: the message behind `Error: `) as a compile error", async () => {
    // Prepare: `next build` (Next.js 14, webpack with next-swc-loader) over a syntax error, as its users post it
    const log = [
      '##[group]Run npm run build',
      'npm run build',
      '##[endgroup]',
      '',
      '> web@0.1.0 build',
      '> next build',
      '',
      '  ▲ Next.js 14.2.30',
      '',
      '   Creating an optimized production build ...',
      'Failed to compile.',
      '',
      './src/calculations/transform.ts',
      "Error:   x Expected '{', got 'interface'",
      '    ,-[/home/runner/work/web/web/src/calculations/transform.ts:28:1]',
      ' 25 | /**',
      ' 26 |  * Items with their elements',
      ' 27 |  */',
      ' 28 | export interfac AlchemicalItem extends ElementalItem {',
      '    :        ^^^^^^^^^',
      '    `----',
      '',
      'Caused by:',
      '    Syntax Error',
      '',
      'Import trace for requested module:',
      './src/calculations/transform.ts',
      './src/app/page.tsx',
      '',
      '',
      '> Build failed because of webpack errors',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([14, 15]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(analysis.failures[0]?.rule).toBe('miette.ascii-error');
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([14, 15, 19, 20]));
  });

  it("reads Alembic's CommandError through Flask-Migrate (`flask db upgrade`: `ERROR [flask_migrate] Error: …`, no `FAILED:` copy) as Alembic's", async () => {
    // Prepare: Debian 12's Flask-Migrate 4.0.4 over Alembic 1.8.1, `flask db upgrade` with two heads
    const log = [
      'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.',
      'INFO  [alembic.runtime.migration] Will assume non-transactional DDL.',
      "ERROR [flask_migrate] Error: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(analysis.category).toBe('compilation');
  });

  it("lists SQLAlchemy's statement whole under its DBAPI error when it spans lines (`[SQL: ` over a `CREATE TABLE` down to `]`), and the `(Background on this error …)` line", async () => {
    // Prepare: Debian 12's SQLAlchemy 1.4.46 on CPython 3.11, `metadata.create_all` over a table that exists
    const log = [
      "Traceback (most recent call last):",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 1900, in _execute_context",
      "    self.dialect.do_execute(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/default.py\", line 736, in do_execute",
      "    cursor.execute(statement, parameters)",
      "sqlite3.OperationalError: table users already exists",
      "",
      "The above exception was the direct cause of the following exception:",
      "",
      "Traceback (most recent call last):",
      "  File \"/home/runner/work/app/app/migrate.py\", line 7, in <module>",
      "    meta.create_all(engine, checkfirst=False)",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/schema.py\", line 4930, in create_all",
      "    bind._run_ddl_visitor(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 3228, in _run_ddl_visitor",
      "    conn._run_ddl_visitor(visitorcallable, element, **kwargs)",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 2211, in _run_ddl_visitor",
      "    visitorcallable(self.dialect, self, **kwargs).traverse_single(element)",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/visitors.py\", line 524, in traverse_single",
      "    return meth(obj, **kw)",
      "           ^^^^^^^^^^^^^^^",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/ddl.py\", line 851, in visit_metadata",
      "    self.traverse_single(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/visitors.py\", line 524, in traverse_single",
      "    return meth(obj, **kw)",
      "           ^^^^^^^^^^^^^^^",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/ddl.py\", line 895, in visit_table",
      "    self.connection.execute(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 1380, in execute",
      "    return meth(self, multiparams, params, _EMPTY_EXECUTION_OPTS)",
      "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/sql/ddl.py\", line 80, in _execute_on_connection",
      "    return connection._execute_ddl(",
      "           ^^^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 1472, in _execute_ddl",
      "    ret = self._execute_context(",
      "          ^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 1943, in _execute_context",
      "    self._handle_dbapi_exception(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 2124, in _handle_dbapi_exception",
      "    util.raise_(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/util/compat.py\", line 211, in raise_",
      "    raise exception",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/base.py\", line 1900, in _execute_context",
      "    self.dialect.do_execute(",
      "  File \"/usr/lib/python3/dist-packages/sqlalchemy/engine/default.py\", line 736, in do_execute",
      "    cursor.execute(statement, parameters)",
      "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) table users already exists",
      "[SQL: ",
      "CREATE TABLE users (",
      "\tid INTEGER NOT NULL, ",
      "\temail VARCHAR(120) NOT NULL, ",
      "\tPRIMARY KEY (id)",
      ")",
      "",
      "]",
      "(Background on this error at: https://sqlalche.me/e/14/e3q8)",
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toMatch(/^sqlalchemy\.exc\.OperationalError: /);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([48, 49, 50, 54, 56, 57]));
  });
});
