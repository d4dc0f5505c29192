"""The statutory returns, built from the record as social workers keep it: the CIN census
(``cin.build_cin_census``, one XML file) and the SSDA903 return for children looked after
(``ssda903.build_ssda903``, eleven CSV files), each for a collection year ending 31 March
(``period``). ``validation`` runs the DfE's rules on what they build. The mapping from the
record to each element and column is /work/briefs/returns-model.md's, and the layout, codes and
rules are in shared/domain/statutory_returns.md."""
