# Reference values for analysis.stats.design, computed with R's survey package on
# design_sample.csv (written by make_design_sample.py). Run from the repository root:
#   Rscript tests/reference/design_variance.R > tests/reference/design_variance.csv
# The first line of the output records the R and survey versions.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
d <- read.csv("tests/reference/design_sample.csv", stringsAsFactors = FALSE, na.strings = character(0))
d$unsafe <- ifelse(d$safety == "ved ikke", NA, as.numeric(d$safety %in% c("utryg", "meget utryg")))
d$unsafe_night <- as.numeric(d$safety_night %in% c("utryg", "meget utryg"))
d$stratum <- interaction(d$year, d$district, drop = TRUE)
d$N <- ave(d$weight, d$stratum, FUN = sum)
cat(sprintf("# %s; survey %s\n", R.version.string, as.character(packageVersion("survey"))))
cat("case,fpc,indicator,estimate,se,deff,df,statistic,p_value\n")
out <- function(case, fpc, ind, est, se, deff = NA, df = NA, stat = NA, p = NA) {
  cat(sprintf("%s,%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", case, fpc, ind, est, se, deff, df, stat, p))
}
for (fpc in c("none", "population")) {
  des <- if (fpc == "none") {
    svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = d)
  } else {
    svydesign(ids = ~1, strata = ~stratum, weights = ~weight, fpc = ~N, data = d)
  }
  for (ind in c("unsafe", "unsafe_night")) {
    f <- as.formula(paste0("~", ind))
    ok <- subset(des, !is.na(d[[ind]]))
    valid <- !is.na(d[[ind]])
    y0 <- ifelse(valid, d[[ind]], 0)
    # cells: partnership areas, districts, the whole sample ("city"), the rest of a district
    for (a in c("folehaven", "tingbjerg_husum")) {
      for (yr in 2019:2021) {
        m <- svymean(f, subset(ok, area == a & year == yr), deff = TRUE)
        out(sprintf("area:%s:%d", a, yr), fpc, ind, coef(m), SE(m), deff(m))
      }
    }
    for (dist in c("valby", "bronshoj_husum", "indre_by", "vanlose")) {
      for (yr in 2019:2021) {
        m <- svymean(f, subset(ok, district == dist & year == yr), deff = TRUE)
        out(sprintf("district:%s:%d", dist, yr), fpc, ind, coef(m), SE(m), deff(m))
      }
    }
    for (yr in 2019:2021) {
      m <- svymean(f, subset(ok, year == yr), deff = TRUE)
      out(sprintf("city:%d", yr), fpc, ind, coef(m), SE(m), deff(m))
      m <- svymean(f, subset(ok, district == "valby" & area == "" & year == yr), deff = TRUE)
      out(sprintf("rest_of_district:folehaven:%d", yr), fpc, ind, coef(m), SE(m), deff(m))
    }
    # a year-on-year difference (independent strata)
    b <- svyby(f, ~year, subset(ok, area == "folehaven"), svymean, covmat = TRUE)
    k <- svycontrast(b, c("2020" = -1, "2021" = 1))
    out("difference:folehaven:2021-2020", fpc, ind, coef(k), SE(k))
    # totals of the domains, for the contrasts between overlapping domains
    tot <- function(cond) {
      data.frame(y = y0 * cond, n = valid * cond)
    }
    fa21 <- tot(d$area == "folehaven" & d$year == 2021)
    fa19 <- tot(d$area == "folehaven" & d$year == 2019)
    rv21 <- tot(d$district == "valby" & d$area == "" & d$year == 2021)
    rv19 <- tot(d$district == "valby" & d$area == "" & d$year == 2019)
    c21 <- tot(d$year == 2021)
    c19 <- tot(d$year == 2019)
    des2 <- update(des, ya1 = fa21$y, na1 = fa21$n, ya0 = fa19$y, na0 = fa19$n,
                   yr1 = rv21$y, nr1 = rv21$n, yr0 = rv19$y, nr0 = rv19$n,
                   yc1 = c21$y, nc1 = c21$n, yc0 = c19$y, nc0 = c19$n)
    t <- svytotal(~ ya1 + na1 + ya0 + na0 + yr1 + nr1 + yr0 + nr0 + yc1 + nc1 + yc0 + nc0, des2)
    k <- svycontrast(t, quote(ya1 / na1 - yc1 / nc1))
    out("gap:folehaven:2021", fpc, ind, coef(k), SE(k))
    k <- svycontrast(t, quote((ya1 / na1 - yc1 / nc1) - (ya0 / na0 - yc0 / nc0)))
    out("change_in_gap:folehaven:2021-2019", fpc, ind, coef(k), SE(k))
    k <- svycontrast(t, quote((ya1 / na1 - ya0 / na0) - (yr1 / nr1 - yr0 / nr0)))
    out("did:folehaven-rest_of_district:2021-2019", fpc, ind, coef(k), SE(k))
    # design-based logistic trends: the area's, and the area's against the rest of the sample
    g <- svyglm(as.formula(paste(ind, "~ year")), subset(ok, area == "tingbjerg_husum"),
                family = quasibinomial())
    s <- coef(summary(g))["year", ]
    out("trend:tingbjerg_husum:2019-2021", fpc, ind, s[1], s[2], NA, g$df.residual, s[3], s[4])
    g <- svyglm(as.formula(paste(ind, "~ year * I(area == 'tingbjerg_husum')")), ok,
                family = quasibinomial())
    s <- coef(summary(g))[4, ]
    out("gap_trend:tingbjerg_husum:2019-2021", fpc, ind, s[1], s[2], NA, g$df.residual, s[3], s[4])
    g <- svyglm(as.formula(paste(ind, "~ year * I(area == 'tingbjerg_husum')")), ok)
    s <- coef(summary(g))[4, ]
    out("gap_trend_points:tingbjerg_husum:2019-2021", fpc, ind, s[1], s[2], NA, g$df.residual, s[3], s[4])
  }
}
