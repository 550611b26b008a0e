package dev.tierflow.policy;

import dev.tierflow.config.YamlFiles;
import dev.tierflow.policy.PolicyDocument.BudgetsDocument;
import dev.tierflow.policy.PolicyDocument.ClassifierDocument;
import dev.tierflow.policy.PolicyDocument.PinDocument;
import dev.tierflow.policy.PolicyDocument.SizeRuleDocument;
import dev.tierflow.policy.PolicyDocument.TierDocument;
import dev.tierflow.policy.alerting.AlertingPolicy;
import dev.tierflow.schemas.ScopeNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the policy YAML and validates it. A file with any problem is refused as a whole, with every
 * problem named by its field path, so a person can fix them all in one go.
 */
public final class PolicyLoader {

    private PolicyLoader() {
    }

    public static RoutingPolicy load(Path file) {
        return parse(YamlFiles.read(file, "policy file"), file.toString());
    }

    /** Parses and validates policy YAML; {@code source} names it in error messages. */
    public static RoutingPolicy parse(String yaml, String source) {
        PolicyDocument document = YamlFiles.parse(yaml, PolicyDocument.class, problems -> new InvalidPolicyException(source, problems), null);
        if (document == null) {
            throw new InvalidPolicyException(source, List.of("(file): is empty"));
        }
        return new Validation(source).check(document);
    }

    /** Collects every problem of one document, then builds the policy if there were none. */
    private static final class Validation {
        private final String source;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Tier> tiers = new LinkedHashMap<>();

        Validation(String source) {
            this.source = source;
        }

        RoutingPolicy check(PolicyDocument doc) {
            String version = doc.version();
            if (isBlank(version)) {
                problem("version", "is required (a string that changes with every edit, e.g. '2026-11-23.1')");
            }
            checkTiers(doc.tiers());
            Tier defaultTier = tierRef("defaultTier", doc.defaultTier(), true);
            int maxAttempts = doc.maxAttempts() == null ? 3 : doc.maxAttempts();
            if (maxAttempts < 1) {
                problem("maxAttempts", "must be at least 1, was " + maxAttempts);
            }
            Map<String, Tier> roles = new LinkedHashMap<>();
            nullToEmpty(doc.roles()).forEach((role, tier) -> {
                scopeName("roles." + role, role);
                Tier resolved = tierRef("roles." + role, tier, true);
                if (resolved != null) {
                    roles.put(role, resolved);
                }
            });
            BudgetsDocument budgets = doc.budgets() == null ? new BudgetsDocument(null, null) : doc.budgets();
            int defaultBudget = budgets.defaultMaxOutputTokens() == null ? 1024 : budgets.defaultMaxOutputTokens();
            positive("budgets.default", defaultBudget);
            Map<String, Integer> typeBudgets = new LinkedHashMap<>();
            nullToEmpty(budgets.taskTypes()).forEach((type, budget) -> {
                scopeName("budgets.taskTypes." + type, type);
                if (budget == null) {
                    problem("budgets.taskTypes." + type, "needs a number of tokens");
                } else if (positive("budgets.taskTypes." + type, budget)) {
                    typeBudgets.put(type, budget);
                }
            });
            List<Pin> pins = checkPins(doc.pins());
            Classifier classifier = checkClassifier(doc.classifier());
            AlertingPolicy alerting = new AlertingValidation(this::problem, tiers.keySet()).check(doc.alerting());
            if (!problems.isEmpty()) {
                throw new InvalidPolicyException(source, problems);
            }
            return new RoutingPolicy(version, List.copyOf(tiers.values()), defaultTier, maxAttempts, roles,
                    defaultBudget, typeBudgets, pins, classifier, alerting);
        }

        private void checkTiers(List<TierDocument> documents) {
            if (documents == null || documents.isEmpty()) {
                problem("tiers", "at least one tier is required, cheapest first");
                return;
            }
            for (int i = 0; i < documents.size(); i++) {
                TierDocument tier = documents.get(i);
                String field = "tiers[" + i + "]";
                if (tier == null) {
                    problem(field, "is empty");
                    continue;
                }
                String nameProblem = dev.tierflow.schemas.Topics.tierNameProblem(tier.name());
                if (nameProblem != null) {
                    problem(field + ".name", "'" + tier.name() + "' " + nameProblem);
                    continue;
                }
                if (tiers.containsKey(tier.name())) {
                    problem(field + ".name", "duplicate tier '" + tier.name() + "'");
                    continue;
                }
                if (isBlank(tier.model())) {
                    problem(field + ".model", "is required");
                }
                if (isBlank(tier.provider())) {
                    problem(field + ".provider", "is required");
                }
                tiers.put(tier.name(), new Tier(tier.name(), tiers.size(), tier.model(), tier.provider(),
                        checkBackend(field + ".backend", tier.backend())));
            }
        }

        private WorkerBackend checkBackend(String field, PolicyDocument.BackendDocument doc) {
            if (doc == null) {
                return WorkerBackend.simulator();
            }
            String type = doc.type() == null ? WorkerBackend.SIMULATOR : doc.type();
            List<String> types = List.of(WorkerBackend.SIMULATOR, WorkerBackend.REPLAY, WorkerBackend.OPENAI, WorkerBackend.ANTHROPIC);
            if (!types.contains(type)) {
                problem(field + ".type", "must be one of " + String.join(", ", types) + ", was '" + type + "'");
            }
            boolean http = type.equals(WorkerBackend.OPENAI) || type.equals(WorkerBackend.ANTHROPIC);
            if (http && isBlank(doc.apiKeyEnv())) {
                problem(field + ".apiKeyEnv", "is required for " + type + ": the environment variable holding the API key");
            }
            if (type.equals(WorkerBackend.REPLAY) && isBlank(doc.file())) {
                problem(field + ".file", "is required for replay: the file of recorded outcomes");
            }
            Duration timeout = FieldChecks.positiveDuration(field + ".timeout", doc.timeout(), WorkerBackend.DEFAULT_TIMEOUT, this::problem);
            int maxRetries = doc.maxRetries() == null ? WorkerBackend.DEFAULT_MAX_RETRIES : doc.maxRetries();
            if (maxRetries < 0) {
                problem(field + ".maxRetries", "must not be negative, was " + maxRetries);
            }
            return new WorkerBackend(type, doc.baseUrl(), doc.apiKeyEnv(), timeout, maxRetries, doc.fallbackModel(), doc.file(),
                    nullToEmpty(doc.recordedModels()));
        }

        private List<Pin> checkPins(List<PinDocument> documents) {
            List<Pin> pins = new ArrayList<>();
            Set<String> names = new HashSet<>();
            List<PinDocument> list = documents == null ? List.of() : documents;
            for (int i = 0; i < list.size(); i++) {
                PinDocument pin = list.get(i);
                String field = "pins[" + i + "]";
                if (pin == null) {
                    problem(field, "is empty");
                    continue;
                }
                if (isBlank(pin.name())) {
                    problem(field + ".name", "is required");
                } else if (!names.add(pin.name())) {
                    problem(field + ".name", "duplicate pin '" + pin.name() + "'");
                }
                var match = pin.match();
                Map<String, String> attributes = match == null ? Map.of() : nullToEmpty(match.attributes());
                if (match == null || (match.tenant() == null && match.role() == null && match.taskType() == null && attributes.isEmpty())) {
                    problem(field + ".match", "needs at least one of tenant, role, taskType, attributes (a pin matching everything is a default, not a pin)");
                    continue;
                }
                scopeName(field + ".match.tenant", match.tenant());
                scopeName(field + ".match.role", match.role());
                scopeName(field + ".match.taskType", match.taskType());
                Tier tier = tierRef(field + ".tier", pin.tier(), true);
                if (isBlank(pin.model())) {
                    problem(field + ".model", "is required: a pin fixes the model");
                }
                if (pin.maxOutputTokens() != null) {
                    positive(field + ".maxOutputTokens", pin.maxOutputTokens());
                }
                if (tier != null) {
                    String provider = isBlank(pin.provider()) ? tier.provider() : pin.provider();
                    pins.add(new Pin(pin.name(), match.tenant(), match.role(), match.taskType(), Map.copyOf(attributes),
                            tier, pin.model(), provider, pin.maxOutputTokens()));
                }
            }
            return pins;
        }

        private Classifier checkClassifier(ClassifierDocument doc) {
            if (doc == null) {
                return new Classifier(false, Map.of(), Map.of(), List.of());
            }
            Map<String, Classifier.Verdict> hints = new LinkedHashMap<>();
            nullToEmpty(doc.hints()).forEach((hint, tier) ->
                    putIfResolved(hints, hint, tierRef("classifier.hints." + hint, tier, true), "hint=" + hint));
            Map<String, Classifier.Verdict> types = new LinkedHashMap<>();
            nullToEmpty(doc.taskTypes()).forEach((type, tier) -> scopeName("classifier.taskTypes." + type, type));
            nullToEmpty(doc.taskTypes()).forEach((type, tier) ->
                    putIfResolved(types, type, tierRef("classifier.taskTypes." + type, tier, true), "type=" + type));
            List<Classifier.SizeRule> sizes = new ArrayList<>();
            List<SizeRuleDocument> sizeDocs = doc.inputTokens() == null ? List.of() : doc.inputTokens();
            Set<Integer> thresholds = new HashSet<>();
            for (int i = 0; i < sizeDocs.size(); i++) {
                SizeRuleDocument rule = sizeDocs.get(i);
                String field = "classifier.inputTokens[" + i + "]";
                if (rule == null || rule.atLeast() == null) {
                    problem(field + ".atLeast", "is required");
                    continue;
                }
                if (rule.atLeast() < 0) {
                    problem(field + ".atLeast", "must not be negative, was " + rule.atLeast());
                } else if (!thresholds.add(rule.atLeast())) {
                    problem(field + ".atLeast", "duplicate threshold " + rule.atLeast());
                }
                Tier tier = tierRef(field + ".tier", rule.tier(), true);
                if (tier != null) {
                    sizes.add(new Classifier.SizeRule(rule.atLeast(), new Classifier.Verdict(tier, "inputTokens>=" + rule.atLeast())));
                }
            }
            sizes.sort(Comparator.comparingInt(Classifier.SizeRule::atLeast).reversed());
            boolean enabled = doc.enabled() == null || doc.enabled();
            return new Classifier(enabled, Map.copyOf(hints), Map.copyOf(types), List.copyOf(sizes));
        }

        private Tier tierRef(String field, String name, boolean required) {
            if (isBlank(name)) {
                if (required) {
                    problem(field, "must name a tier");
                }
                return null;
            }
            Tier tier = tiers.get(name);
            if (tier == null && !tiers.isEmpty()) {
                problem(field, "unknown tier '" + name + "' (tiers are " + String.join(", ", tiers.keySet()) + ")");
            }
            return tier;
        }

        /** A role, task type or tenant the file names must be one a task can carry (the router refuses others). */
        private void scopeName(String field, String name) {
            String nameProblem = ScopeNames.problem(name);
            if (nameProblem != null) {
                problem(field, "'" + name + "' " + nameProblem);
            }
        }

        private boolean positive(String field, int value) {
            if (value <= 0) {
                problem(field, "must be a positive number of tokens, was " + value);
                return false;
            }
            return true;
        }

        private void problem(String field, String message) {
            problems.add(field + ": " + message);
        }

        private static void putIfResolved(Map<String, Classifier.Verdict> map, String key, Tier tier, String detail) {
            if (tier != null) {
                map.put(key, new Classifier.Verdict(tier, detail));
            }
        }

        private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
            return map == null ? Map.of() : map;
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }
}
