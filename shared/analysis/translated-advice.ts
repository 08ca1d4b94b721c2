/**
 * Merge and approval advice in languages other than English, for the injection detector (injection.ts), whose
 * English expressions read none of it: "Der PR kann sicher gemergt werden", "Fusionnez cette pull request
 * maintenant", "该 PR 可以安全合并". The analysis answers in English, so a model that writes this was steered, and a
 * log line that says it is aimed at one.
 *
 * Word order differs between languages, so a sentence is read for what it holds rather than for a phrase: a verb
 * that merges or approves, with the change it acts on or a word that says it is safe, due now or needs no review,
 * and no negation. Per language, the lists below; the text arrives lower-cased and NFKC-folded (injection.ts
 * `normalizeText`). A word is a run of letters (`\p{L}`): `\b` only knows ASCII, and would not end "fusionné".
 */

interface AdviceWords {
  /** Merging or approving, in the forms advice takes (infinitive, imperative, participle). */
  readonly merge: string;
  /** What is merged: the pull request, the change. */
  readonly change: string;
  /**
   * Safe, now, without review: what makes a mention of merging advice to do it. Not "automatically", which in a log
   * describes what a tool did ("已自动合并", merged automatically), nor the Spanish "ya" and Portuguese "já", which
   * also mean "already" ("el PR ya fue fusionado").
   */
  readonly urge: string;
  /** May, can, ready: advice in an answer, which has no business saying so in another language. */
  readonly may: string;
  /** A negation: "nicht mergen" advises against. */
  readonly negation: string;
}

/** A word of its own: not inside a longer word. CJK has no spaces, and its words are matched as they stand. */
function word(alternatives: string): string {
  return String.raw`(?<!\p{L})(?:${alternatives})(?!\p{L})`;
}

/**
 * A word's stem, with any ending: Slavic words inflect. No short Latin stem: the detector also reads a leetspeak form,
 * where a hex id's `5ca1` is "scal" (Polish "merge").
 */
function stem(alternatives: string): string {
  return String.raw`(?<!\p{L})(?:${alternatives})`;
}

const LANGUAGES: readonly AdviceWords[] = [
  {
    // German, Dutch.
    merge: word(String.raw`mergen|gemergt|gemerged|mergt|mergst|zusammenf(?:ü|ue)hren|zusammengef(?:ü|ue)hrt|freigeben|freigegeben|genehmigen|genehmigt|approven|samenvoegen|samengevoegd|goedkeuren|goedgekeurd|keur\s+(?:\S+\s+){1,3}goed`),
    change: word(String.raw`pr|prs|pull[- ]?request|merge[- ]?request|mr|änderungen|änderung|wijzigingen|wijziging`),
    urge: word(String.raw`jetzt|sofort|umgehend|sicher|bedenkenlos|gefahrlos|unbedenklich|ohne\s+(?:review|prüfung|überprüfung|freigabe|bedenken|risiko)|nu|meteen|direct|onmiddellijk|zonder\s+(?:review|risico|controle)|veilig`),
    may: word(String.raw`kann|können|kannst|könnt|darf|dürfen|bereit|kan|kunnen|mag|mogen|klaar`),
    negation: word(String.raw`nicht|nie|niemals|keinesfalls|kein(?:e|en|er)?(?!\s+(?:bedenken|risiko|gefahr|probleme?)(?!\p{L}))|niet|nooit|geen(?!\s+(?:risico|probleem|bezwaar)(?!\p{L}))`),
  },
  {
    // French, Spanish, Italian, Portuguese.
    merge: word(
      String.raw`fusionn(?:er|ez|é|ée|és|ées|e)|merg(?:er|ez|é|ée)|approuv(?:er|ez|é|ée)|fusion(?:ar|a|e|en|ad[oa]s?)|merge(?:ar|a|e|ad[oa])|aprob(?:ar|a|ad[oa]s?)|(?:fare|fai|fate|fa|faça|fazer|haz|hacer)\s+(?:o\s+|el\s+|il\s+)?merge|mergia(?:re|to|ta)?|approva(?:re|to|ta)?|mescl(?:ar|e|em|ad[oa])|aprov(?:ar|e|em|ad[oa])`,
    ),
    change: word(String.raw`pr|prs|pull[- ]?request|merge[- ]?request|mr|changements?|modifications?|cambios?|modifiche|alterações|mudanças`),
    urge: word(
      String.raw`maintenant|immédiatement|tout\s+de\s+suite|sans\s+(?:risque|danger|revue|relecture|vérification|validation|attendre)|en\s+toute\s+sécurité|ahora|inmediatamente|sin\s+(?:riesgo|revisión|revisar|aprobación|esperar)|con\s+seguridad|de\s+forma\s+segura|seguro|ora|adesso|subito|immediatamente|senza\s+(?:rischi|revisione|review|attendere)|in\s+sicurezza|sicuro|agora|imediatamente|sem\s+(?:risco|revisão|review|esperar)|com\s+segurança`,
    ),
    may: word(String.raw`peut|pouvez|peux|prêt|prête|puede|puedes|pueden|listo|lista|può|puoi|possono|pronto|pronta|pode|podem`),
    negation: word(String.raw`ne|n['’]|pas|jamais|aucun|aucune|no(?!\s+(?:hay\s+)?(?:ning[uú]n\s+)?(?:riesgo|problema)(?!\p{L}))|nunca|jamás|non|mai|não`),
  },
  {
    // Russian, Ukrainian, Polish.
    merge: stem(String.raw`(?:с|за|в)?мер(?:д)?ж|влить|влейте|влей|слить|слейте|слей|одобр|аппрув|зааппрув|змерж|схвал|zmerguj|zmergowa|zatwierd|zaakceptuj`),
    change: stem(String.raw`пр(?!\p{L})|пулл?[- ]?ре(?:к|кв)вест|мерж[- ]?реквест|изменени|зміни|pr(?!\p{L})|pull[- ]?request|zmian`),
    urge: stem(String.raw`сейчас|немедленно|сразу|срочно|без\s+(?:ревью|проверк|риска|ожидания)|безопасно|автоматически|зараз|негайно|одразу|безпечно|teraz|natychmiast|od\s+razu|bez\s+(?:przeglądu|review|ryzyka)|bezpiecznie`),
    may: stem(String.raw`можно|может|можете|готов|можна|може|można|możesz|gotow`),
    negation: word(String.raw`не|нельзя|никогда|ні|nie|nigdy`),
  },
  {
    // Chinese, Japanese, Korean.
    merge: String.raw`合并|合併|合入|批准|マージ|承認|병합|머지|승인`,
    change: String.raw`(?<![a-z])(?:pr|pull\s?request|merge\s?request|mr)(?![a-z])|变更|變更|更改|修改|合并请求|拉取请求|プルリク|変更|풀\s?리퀘스트|변경`,
    urge: String.raw`立即|立刻|马上|馬上|现在|現在|直接|安全|无需|無需|不用|すぐ|直ちに|問題(?:あり|な)|レビューなし|지금|즉시|바로|안전|리뷰\s?없이`,
    may: String.raw`可以|できます|できる|してください|して下さい|しましょう|大丈夫|해도|하세요|해\s?주세요|할\s?수`,
    negation: String.raw`不(?![用需必])|别|別|勿|未|禁止|(?<!問題)(?<!問題あり)(?:ない|ません)|않|마세요|못`,
  },
];

/** What ends a sentence: a word of one is read with the rest of that sentence only. */
const SENTENCE_END = '.!?。！？;；\\n';
/** Any language's merge verb. */
const ANY_MERGE_WORD = LANGUAGES.map((words) => words.merge).join('|');
/** Up to the end of the sentence, at most 300 characters. */
const IN_SENTENCE = `[^${SENTENCE_END}]{0,300}?`;

/**
 * A sentence, in one of the languages, with a merge verb and each of `needs` (source of expressions, all present),
 * and no negation. Read from each sentence start, so that the words can come in any order.
 */
function sentenceWith(needs: (words: AdviceWords) => string[]): RegExp {
  const start = `(?:^|(?<=[${SENTENCE_END}]))`;
  // Any language's merge verb first, in one pass over the sentence: most sentences have none, and each language's
  // lookaheads would read the sentence again, a dozen passes where one does (a third more time on CI logs).
  const anyMerge = `(?=${IN_SENTENCE}(?:${ANY_MERGE_WORD}))`;
  const perLanguage = LANGUAGES.map((words) => {
    const present = [words.merge, ...needs(words)].map((source) => `(?=${IN_SENTENCE}(?:${source}))`).join('');
    return `${present}(?![^${SENTENCE_END}]{0,300}?(?:${words.negation}))`;
  });
  return new RegExp(`${start}[^\\S\\n]*${anyMerge}(?:${perLanguage.join('|')})`, 'u');
}

/**
 * In a log line: the change to be merged or approved now, safely or without review (the English approval-request
 * signal's demand, in other words).
 */
export const TRANSLATED_APPROVAL_REQUEST = sentenceWith((words) => [words.change, words.urge]);

/** In an answer: merging or approving with the change, or said to be safe, due now, or allowed. */
export const TRANSLATED_MERGE_ADVICE = sentenceWith((words) => [`${words.change}|${words.urge}|${words.may}`]);

/**
 * A merge verb of any language, anywhere in the text and not necessarily a word of its own: every match of
 * {@link TRANSLATED_APPROVAL_REQUEST} and {@link TRANSLATED_MERGE_ADVICE} holds one (their first look-ahead), so a text
 * without one is not read by them. They read up to 300 characters for it from every sentence start (every dot in a
 * path or a version number starts one); this is one pass. Without the look-arounds that keep a verb a word of its own
 * (they only narrow what matches), which kept the engine from its quick first-character check: 290 → 40 ms over the
 * fixture logs' 66K lines (session 70).
 */
export const TRANSLATED_MERGE_WORD = new RegExp(
  ANY_MERGE_WORD.replaceAll(String.raw`(?<!\p{L})`, '').replaceAll(String.raw`(?!\p{L})`, ''),
  'u',
);
