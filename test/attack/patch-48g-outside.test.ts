import { describe, it } from 'vitest';
import { expectAccepted, refusedFor } from '../support/patches.js';

/**
 * Session 45, attack-48 G (its 76 rows are closed in attack-48-patch.test.ts): an allowed command, or the code's own
 * loading, pointed at a path outside the checked-out repository, where another job, step or fork run may have left
 * code (a self-hosted runner's /tmp, $HOME, the workspace's parent). One rule, not a list per tool: any word or option
 * value of a command the check knows that names such a path (absolute, `~`, a home, temp or runner variable, `..`
 * above the root), a change of directory there before it, and a load (`require`, `import`, `#include "…"`, `#[path]`,
 * `include!`, `sys.path`, `plugin.Open`) of one. Writing output outside (`> /tmp/log`, `-o /tmp/bin`) loads nothing.
 */
describe('patch check G: outside the repository, refused with its reason', () => {
  it.each([
    ['src/check.py', "import os\nos.system('npm test --prefix /tmp/evil')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['go', 'run', '/tmp/evil'])"],
    ['src/check.py', "import os\nos.system('pnpm test --dir=../../evil')"],
    ['src/check.py', "import os\nos.system('cargo test --manifest-path=$GITHUB_WORKSPACE/../x/Cargo.toml')"],
    ['src/check.py', "import os\nos.system('cd ~/evil && cargo run')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['npm', 'test'], cwd='/tmp/evil')"],
    ['src/check.go', 'cmd := exec.Command("npm", "test")\ncmd.Dir = "/tmp/evil"\ncmd.Run()'],
    ['src/lib.rs', 'include!(concat!(env!("HOME"), "/evil.rs"));'],
    ['src/check.js', "require(require('os').homedir() + '/evil');"],
    ['src/x.c', '#include "/tmp/evil.h"'],
    ['src/check.py', "import sys\nsys.path.insert(0, '/tmp/evil')"],
    ['src/plugin.go', 'p, _ := plugin.Open("/tmp/x.so")'],
    ['src/check.js', "import x from '../../x.js';"],
    ['src/check.py', "import os\nos.system('npm test -- --config /tmp/vitest.config.js')"],
  ] as const)('refuses, in %s: %s', refusedFor('outside-repository'));

  // pytest reads tests/pytest.ini (pytest.toml from pytest 9) as its configuration when run as `pytest tests`.
  it.each([
    ['tests/pytest.ini', '[pytest]\naddopts = -p evil'],
    ['tests/.pytest.toml', '[pytest]\naddopts = ["-p", "evil"]'],
  ] as const)('refuses, in %s: %s', refusedFor('allow-list'));
});

describe('patch check G: ordinary paths stay accepted', () => {
  it.each([
    ['src/check.py', "import os, subprocess\nsubprocess.run(['npm', 'test'], cwd=os.path.dirname(__file__))"],
    ['src/check.py', "import os\nos.system('cd web && npm test')"],
    ['src/check.py', "import os\nos.system('npm test 2>/dev/null')"],
    ['src/check.py', "import os\nos.system('npm test > /tmp/test.log 2>&1')"],
    ['src/check.py', "import os\nos.system('go build -o /tmp/bin/app ./...')"],
    ['src/check.py', "import os\nos.system('go -C backend test ./...')"],
    ['src/check.py', "import os\nos.system('cargo test --manifest-path crates/core/Cargo.toml')"],
    ['src/check.py', "import subprocess\nsubprocess.run(['/usr/bin/env', 'python3', 'tools/gen.py'], check=True)"],
    ['src/check.go', 'out, err := exec.Command("/bin/sh", "-c", "go test ./...").Output()'],
    ['src/check.py', "#!/usr/bin/env python3\nprint('ok')"],
    ['src/check.py', "with open('/tmp/out.txt', 'w') as f:\n    f.write('ok')"],
    ['src/x.c', '#include <stdio.h>\n#include "util.h"'],
    ['src/lib.rs', 'include!(concat!(env!("OUT_DIR"), "/generated.rs"));'],
    ['src/app/view.js', "const lib = require('../lib/format');"],
    ['src/app/view.ts', "import { format } from '../lib/format';"],
    ['tests/test_x.py', "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))"],
    ['tests/test_x.py', "import sys\nsys.path.append('..')"],
    // The program's own path is not read as what it loads; the workspace variable is the repository.
    ['src/check.py', "import subprocess\nsubprocess.run(['/usr/local/bin/npm', 'test'], check=True)"],
    ['src/check.py', "import os\nos.system('cd \"$GITHUB_WORKSPACE/web\" && npm test')"],
    ['src/check.js', "execSync('npm run build', { cwd: path.join(__dirname, 'web') })"],
  ] as const)('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});
