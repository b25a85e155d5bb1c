// The site's search ranking (Sphinx's html_search_scorer): Sphinx's defaults, with the 193 state pages ranked
// below the other pages unless the query is in a state page's title (a state's name). A state page lists every
// vote's label, so a query such as "Zaporizhzhia" would otherwise rank 193 state pages beside the vote's own.
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    return docname.startsWith("states/") && kind !== "title" ? score - 100 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
