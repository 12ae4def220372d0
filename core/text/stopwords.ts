/** English function words that carry no topic: ignored for matching and coverage. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below
  between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each either
  few for from further had hadn't has hasn't have haven't having he he'd he'll her here hers herself him himself his
  how i i'd i'll i'm i've if in into is isn't it it's its itself just let's may me might more most must mustn't my
  myself no nor not of off on once only or other ought our ours ourselves out over own per same shan't she she'd
  she'll should shouldn't so some such than that that's the their theirs them themselves then there there's these
  they they'd they'll they're they've this those through to too under until up upon us very via was wasn't we we'd
  we'll we're we've were weren't what what's when when's where where's whether which while who who's whom whose why
  why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
  according also among did does tell told say said says describe explain give given mention mentioned according
  s t d ll m re ve`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Words that frame a question rather than name its topic ("according to the document",
 * "provide an example", "discuss the role"). Left out of a question's terms, or they count
 * as topic words missing from the sources and make answerable questions look off topic.
 */
export const QUESTION_FRAME_WORDS: ReadonlySet<string> = new Set(
  `document documents text texts passage passages article articles paper papers source sources author authors
  context information mentioned mention mentions provide provided provides discuss discussed discussing explain
  explained explanation describe described description compare comparing contrast example examples illustrate
  illustrated illustrates brief briefly specific specifically detail details detailed summarize summarise summary
  elaborate outline list identify identified highlight highlighted significance importance role key main purpose
  overview please kind kinds type types way ways aspect aspects`
    .split(/\s+/)
    .filter(Boolean),
);
