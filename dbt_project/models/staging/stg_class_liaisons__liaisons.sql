-- The class-liaison register units drop in raw_drops/class_liaisons/: one row per raw row, the class
-- named by its unit or department, major and graduation year, and its liaison's contact cleaned.
with source as (

    select * from {{ source('raw', 'class_liaisons') }}

),

final as (

    select
        md5(concat_ws('|', source_system, source_file, source_sheet, source_row)) as liaison_row_id,
        source_file,
        source_sheet,
        source_row::integer as source_row,
        department as department_raw,
        unit_name_key(department) as department_key,
        major as major_raw,
        major_name_key(major) as major_key,
        conform_date(grad_date).year as grad_year,
        nullif(trim(class_name), '') as class_name,
        conform_name(name).clean as liaison_name,
        clean_mobile(mobile) as mobile,
        clean_email(email) as email
    from source

)

select * from final
