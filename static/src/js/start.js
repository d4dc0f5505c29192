// Starts GOV.UK and MOJ Frontend components. Every page works without this: it only enhances.
import { initAll as initGovukFrontend } from "../govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();
