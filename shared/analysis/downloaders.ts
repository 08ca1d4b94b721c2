/**
 * The names of the programs that download, as regular-expression alternatives: one list under the three readings of a
 * download (`dangerous-code.ts`'s pipes and runs, `smuggled-code.ts`'s downloads onto loaded paths, `saved-download.ts`'s
 * saved files), each of which keeps its own context (where a command starts, which options make certutil download).
 * A name added here is read by all three; a list kept in each drifted (review of attack pass 12).
 */

/** Programs that only download: curl, wget, aria2c (Windows' builds end in `.exe`). */
export const DOWNLOAD_PROGRAMS = 'curl|wget|aria2c';

/**
 * PowerShell's web cmdlets and their aliases, which save to `-OutFile`; `curl` and `wget` are Windows PowerShell's
 * aliases of Invoke-WebRequest too.
 */
export const WEB_CMDLETS = 'iwr|irm|invoke-webrequest|invoke-restmethod';

/** PowerShell's BITS download, which saves to `-Destination`. */
export const BITS_CMDLET = 'start-bitstransfer';

/** Windows' own programs that download when told to (`certutil -urlcache`, `bitsadmin /transfer`), and do much else. */
export const WINDOWS_DOWNLOADERS = 'certutil|bitsadmin';

/** GitHub's CLI where what it prints or saves is a file of someone's choosing. */
export const GH_DOWNLOADS = String.raw`gh\s+(?:api|release\s+download|gist\s+view|run\s+download)`;

/** Every downloader by name alone, wherever its context is not read: {@link DOWNLOAD_PROGRAMS} to {@link WINDOWS_DOWNLOADERS}. */
export const DOWNLOADER_NAMES = `${DOWNLOAD_PROGRAMS}|${WEB_CMDLETS}|${BITS_CMDLET}|${WINDOWS_DOWNLOADERS}`;

/**
 * A program's options before its verb, each with the word after it where that is no option (`git -C d clone`, `git -c
 * k=v pull`, `git -c 'k=a b' clone`, `gsutil -m rsync`): what stands between a program and its verb never hides the verb.
 */
export const OPTIONS_BEFORE_VERB = String.raw`(?:\s+-[\w-]+(?:[= \t]+(?:[^\s"'-]|"[^"\n]*"|'[^'\n]*')(?:[^\s"']|"[^"\n]*"|'[^'\n]*')*)?){0,8}?`;

/**
 * Programs that copy files from another host into the tree without a downloader's name: a clone, a checkout or a pull
 * of another host's repository (git, GitHub's CLI, Mercurial, Subversion, Bazaar, Fossil), the file-transfer programs
 * (scp, rsync, sftp, ftp, lftp, tftp) and the cloud and registry copies (rclone, `aws s3 sync`, gsutil, azcopy, s3cmd,
 * oras, a container's files copied out). Each saves files whose names the text need not show (`saved-download.ts`'s
 * `savedBy` reads where), so a script run from what they wrote is a download run.
 */
export const COPIES_FROM_HOSTS = [
  String.raw`git${OPTIONS_BEFORE_VERB}\s+(?:clone|pull|fetch|submodule\s+add)`,
  String.raw`gh\s+repo\s+(?:clone|fork)|hg\s+(?:clone|pull)|svn\s+(?:checkout|co|export)|bzr\s+(?:branch|checkout|co|clone|get|pull|merge)|fossil\s+(?:clone|pull)`,
  String.raw`scp|rsync|s?ftp|lftp|tftp|rclone\s+(?:copy(?:to|url)?|sync|move(?:to)?)|aws\s+s3\s+(?:sync|mv)|(?:gsutil${OPTIONS_BEFORE_VERB}|gcloud\s+storage)\s+(?:rsync|mv)`,
  String.raw`azcopy\s+(?:copy|cp|sync)|s3cmd\s+(?:get|sync)|oras\s+pull|(?:docker|podman|kubectl)\s+cp`,
].join('|');

/**
 * Programs that print what another host sends without a downloader's name: a command run on another host (`ssh h cat
 * f`), an object printed from a remote (`rclone cat`), a DNS record looked up (`dig TXT`, `nslookup -q=txt`, `host -t
 * txt`), a remote repository's files archived (`git archive --remote=…`). Piped into a shell, or written to a file then
 * run, they are a download run.
 */
export const PRINTS_FROM_HOSTS = String.raw`git\s+archive(?=[^\n|;&]*--remote)|ssh|rclone\s+cat|k?dig|drill|nslookup|host(?=\s+-)`;
