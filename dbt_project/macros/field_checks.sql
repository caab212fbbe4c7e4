{#
    For each field read by a normaliser: when its typed value counts as read, and the rule
    int_field_issues records when it does not. int_parse_rates counts the same conditions. ID numbers
    have their own rules (one per problem, see int_field_issues): a number is read when its digits are,
    even if its check digit then proves it wrong, and one whose digits Excel lost is not counted as a
    value a person could read.
#}
{% macro field_checks() %}
    {{ return([
        {'field': 'name', 'read': 'name is not null', 'rule': 'NAME_UNREADABLE'},
        {'field': 'gender', 'read': 'gender is not null', 'rule': 'GENDER_UNREADABLE'},
        {'field': 'birth_date', 'read': 'birth_year is not null', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'enrol_date', 'read': 'enrol_year is not null', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'grad_date', 'read': 'grad_year is not null', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'work_start', 'read': 'work_start_year is not null', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'work_end', 'read': 'work_end_year is not null or work_ongoing', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'work_period', 'read': 'work_start_year is not null or work_ongoing', 'rule': 'PERIOD_UNPARSEABLE'},
        {'field': 'update_date', 'read': 'update_date is not null', 'rule': 'DATE_UNPARSEABLE'},
        {'field': 'native_place', 'read': 'native_province is not null', 'rule': 'NATIVE_PLACE_UNKNOWN'},
        {'field': 'education_level', 'read': 'education_level is not null', 'rule': 'EDUCATION_LEVEL_UNKNOWN'},
        {'field': 'study_form', 'read': 'study_form is not null', 'rule': 'STUDY_FORM_UNKNOWN'},
        {'field': 'role', 'read': 'role_kind is not null', 'rule': 'ROLE_UNKNOWN'},
        {'field': 'mobile', 'read': 'mobile is not null or landline is not null', 'rule': 'MOBILE_INVALID'},
        {'field': 'landline', 'read': 'landline is not null', 'rule': 'LANDLINE_INVALID'},
        {'field': 'email', 'read': 'email is not null', 'rule': 'EMAIL_INVALID'},
        {'field': 'postcode', 'read': 'postcode is not null', 'rule': 'POSTCODE_INVALID'},
        {'field': 'id_number',
         'read': "id_problem is null or id_problem in ('BAD_REGION', 'BAD_BIRTH_DATE', 'BAD_CHECK_DIGIT')",
         'readable': "id_problem is distinct from 'SCIENTIFIC' and id_problem is distinct from 'PRECISION_LOST'"},
    ]) }}
{% endmacro %}
