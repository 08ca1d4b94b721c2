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
 * Programs that copy files from another host into the tree without a downloader's name: a clone or checkout (git,
 * Mercurial, Subversion), scp, rsync and rclone. Each saves files whose names the text need not show
 * (`saved-download.ts`'s `savedBy` reads where), so a script run from what they wrote is a download run.
 */
export const COPIES_FROM_HOSTS = String.raw`git\s+clone|hg\s+clone|svn\s+(?:checkout|co|export)|scp|rsync|rclone\s+(?:copy(?:to|url)?|sync|move(?:to)?)`;
