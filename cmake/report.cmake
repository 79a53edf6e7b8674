# report: the document model, the reports and the exports (pure, in the core), and the PDF renderer (cairo + pango
# with the Noto CJK fonts through fontconfig) as a library of its own, which the command line and the server link.
target_sources(ys_core PRIVATE
  src/report/rdoc.c
  src/report/results.c
  src/report/summary.c
  src/report/opinions.c
  src/report/export_popolo.c
  src/report/export_csv.c
  src/report/export_akn.c
)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)
add_library(ys_pdf STATIC src/report/pdf.c)
target_include_directories(ys_pdf PUBLIC include)
target_link_libraries(ys_pdf PUBLIC ys_core PkgConfig::PANGOCAIRO)
