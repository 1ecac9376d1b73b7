package org.referralhub.local;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI FHIR as the FHIR tests use it — a client and a validator no one here wrote: one R4 context (costly to make),
 * generic clients that send a key as a bearer token and do not ask the server for its CapabilityStatement first, and
 * base R4 validation of whatever the hub answers or sends.
 */
final class FhirR4 {

    static final FhirContext FHIR = FhirContext.forR4();
    private static FhirValidator validator;

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    private FhirR4() {
    }

    /** A generic client of the FHIR server at {@code base}, signing in with {@code key} as a bearer token. */
    static IGenericClient client(String base, String key) {
        IGenericClient client = FHIR.newRestfulGenericClient(base);
        client.registerInterceptor(new BearerTokenAuthInterceptor(key));
        return client;
    }

    /** HAPI's instance validator against base R4 (its profiles, code systems and value sets; any extension allowed). */
    static synchronized FhirValidator validator() {
        if (validator == null) {
            ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR), new CommonCodeSystemsTerminologyService(FHIR));
            FhirValidator made = FHIR.newValidator();
            FhirInstanceValidator instance = new FhirInstanceValidator(support);
            instance.setAnyExtensionsAllowed(true);
            made.registerValidatorModule(instance);
            validator = made;
        }
        return validator;
    }

    /** Asserts the resource is valid base R4: no error or fatal message; the resource is shown when it is not. */
    static void valid(IBaseResource resource) {
        ValidationResult result = validator().validateWithResult(resource);
        assertThat(result.getMessages().stream().filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList())
                .as(FHIR.newJsonParser().encodeResourceToString(resource)).isEmpty();
    }
}
