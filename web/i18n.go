package web

import (
	"net/http"
)

// languages the portal speaks; Spanish and English completely, Portuguese
// and French on the pages focal points and committee members open.
var languages = []string{"es", "en", "pt", "fr"}

var languageNames = map[string]string{"es": "Español", "en": "English", "pt": "Português", "fr": "Français"}

func validLanguage(l string) bool {
	_, ok := messages[l]
	return ok
}

// pickLanguage takes ?lang= when valid, else the recipient's language, else Spanish.
func pickLanguage(r *http.Request, preferred string) string {
	if l := r.URL.Query().Get("lang"); validLanguage(l) {
		return l
	}
	if validLanguage(preferred) {
		return preferred
	}
	return "es"
}

// translate returns key in lang, falling back to English, then to the key.
func translate(lang, key string) string {
	if m, ok := messages[lang][key]; ok {
		return m
	}
	if m, ok := messages["en"][key]; ok {
		return m
	}
	return key
}

var messages = map[string]map[string]string{
	"en": {
		"err_control":    "This text contains a control character (such as a NUL byte) that cannot be stored. Please remove it; it is shown as \uFFFD.",
		"err_date_range": "This date is outside the period allowed here.", "err_id": "Use only letters, digits, '.', '_', ':' and '-' (at most 100).",
		"err_duplicate":  "Each country may be listed once, and the lead country not among the participants.",
		"err_busy_title": "The portal is busy", "err_busy": "The portal is busy right now and your answer was not recorded yet. It is kept below: please send it again in a minute.", "send_again": "Send again",
		"err_task_closed": "This task no longer accepts reports (it was waived, or its cycle has closed).", "err_signal": "Your answer was saved but could not be confirmed yet. Please send the same form again in a moment.", "err_round_closed": "This voting round is closed; your vote was not recorded.", "err_not_member": "You are not on the roster of this round.",
		"language": "Language", "skip": "Skip to content",
		"err_title": "Something is wrong", "err_link": "This link is not valid or has expired",
		"err_link_help":    "Ask the ECLAC secretariat for a new link if you still need to act.",
		"err_rate":         "Too many requests. Please wait a minute and try again.",
		"err_cross_origin": "This form was sent from another site and was refused.",
		"err_form":         "This form has expired. Please open the page again and resend it.",
		"err_internal":     "Something went wrong on our side. Your answer was not recorded; please try again later.",
		"err_not_found":    "Page not found", "err_too_large": "The form is too large. Please shorten your texts.",
		"err_invalid":  "Please correct the fields marked below. Nothing was saved.",
		"err_required": "This field is required.", "err_too_long": "This text is too long (at most %d characters).",
		"err_utf8": "This text contains invalid characters.", "err_choice": "Please choose one of the options.",
		"login_title": "Secretariat sign-in", "email": "E-mail", "password": "Password", "login_button": "Sign in",
		"login_failed": "Wrong e-mail or password.", "login_locked": "Too many failed attempts. Please wait 15 minutes.",
		"logout": "Sign out", "signed_in_as": "Signed in as",
		"dashboard_title": "Programme dashboard", "programme_by_goal": "Programme by goal", "goal": "Goal",
		"code": "Code", "title": "Title", "lead": "Lead country", "status": "Status", "open_cycles": "Open reporting cycles",
		"progress_done": "answered", "overdue_tasks": "Overdue tasks", "none": "None.", "cs_open": "open", "cs_closed": "closed", "task_actions": "Extend, waive or revoke links", "revoke_button": "Revoke its links", "due": "Due", "closes": "Closes",
		"country": "Country", "cycle": "Cycle", "no_activities": "No activities yet.",
		"st_draft": "draft", "st_proposed": "proposed", "st_under_review": "under review", "st_changes_requested": "changes requested",
		"st_approved": "approved", "st_rejected": "rejected", "st_withdrawn": "withdrawn", "st_in_execution": "in execution",
		"st_completed": "completed", "st_cancelled": "cancelled",
		"task_title": "Report on an activity", "activity": "Activity", "due_date": "Due date",
		"previous_submission": "Your previous report", "submitted_on": "Submitted on",
		"f_status": "Status", "f_progress": "Progress", "f_results": "Results against expected outputs",
		"f_difficulties": "Difficulties", "f_next_steps": "Next steps", "submit": "Send report",
		"rs_not_started": "Not started", "rs_on_track": "On track", "rs_delayed": "Delayed", "rs_completed": "Completed", "rs_cancelled": "Cancelled",
		"task_done_title": "Report received", "task_done_body": "Thank you. Your report was recorded; a receipt is on its way by e-mail.",
		"vote_title": "Committee vote", "proposal": "Proposal", "description": "Description", "expected_outputs": "Expected outputs", "period": "Period",
		"changes": "Changes since the previous version", "before": "Before", "after": "After", "round": "Round",
		"f_decision": "Your decision", "f_comment": "Comment", "vote_button": "Send vote",
		"d_approve": "Approve", "d_reject": "Reject", "d_request_changes": "Request changes",
		"vote_done_title": "Vote received", "tally": "Votes so far", "pending": "Still to vote", "majority": "Votes needed for a decision",
		"emails_title": "E-mail log", "retry": "Retry",
	},
	"es": {
		"err_control":    "Este texto contiene un carácter de control (como un byte NUL) que no se puede guardar. Elimínelo; se muestra como \uFFFD.",
		"err_date_range": "Esta fecha está fuera del período permitido aquí.", "err_id": "Use solo letras, dígitos, '.', '_', ':' y '-' (100 como máximo).",
		"err_duplicate":  "Cada país puede figurar una sola vez, y el país líder no entre los participantes.",
		"err_busy_title": "El portal está ocupado", "err_busy": "El portal está ocupado en este momento y su respuesta aún no se registró. La conservamos abajo: envíela de nuevo en un minuto.", "send_again": "Enviar de nuevo",
		"err_task_closed": "Esta tarea ya no admite informes (fue dispensada o su ciclo cerró).", "err_signal": "Su respuesta se guardó pero aún no se pudo confirmar. Envíe el mismo formulario de nuevo en un momento.", "err_round_closed": "Esta ronda de votación está cerrada; su voto no se registró.", "err_not_member": "Usted no figura en la lista de esta ronda.",
		"language": "Idioma", "skip": "Ir al contenido",
		"err_title": "Algo no está bien", "err_link": "Este enlace no es válido o ha expirado",
		"err_link_help":    "Pida un nuevo enlace a la secretaría de la CEPAL si todavía necesita actuar.",
		"err_rate":         "Demasiadas solicitudes. Espere un minuto e inténtelo de nuevo.",
		"err_cross_origin": "Este formulario fue enviado desde otro sitio y fue rechazado.",
		"err_form":         "Este formulario ha expirado. Abra la página de nuevo y vuelva a enviarlo.",
		"err_internal":     "Algo falló de nuestro lado. Su respuesta no se registró; inténtelo más tarde.",
		"err_not_found":    "Página no encontrada", "err_too_large": "El formulario es demasiado grande. Acorte sus textos.",
		"err_invalid":  "Corrija los campos señalados abajo. No se guardó nada.",
		"err_required": "Este campo es obligatorio.", "err_too_long": "Este texto es demasiado largo (máximo %d caracteres).",
		"err_utf8": "Este texto contiene caracteres no válidos.", "err_choice": "Elija una de las opciones.",
		"login_title": "Acceso de la secretaría", "email": "Correo electrónico", "password": "Contraseña", "login_button": "Entrar",
		"login_failed": "Correo o contraseña incorrectos.", "login_locked": "Demasiados intentos fallidos. Espere 15 minutos.",
		"logout": "Salir", "signed_in_as": "Sesión de",
		"dashboard_title": "Panel del programa", "programme_by_goal": "Programa por objetivo", "goal": "Objetivo",
		"code": "Código", "title": "Título", "lead": "País líder", "status": "Estado", "open_cycles": "Ciclos de informe abiertos",
		"progress_done": "respondidas", "overdue_tasks": "Tareas vencidas", "none": "Nada por ahora.", "cs_open": "abierto", "cs_closed": "cerrado", "task_actions": "Prorrogar, dispensar o revocar enlaces", "revoke_button": "Revocar sus enlaces", "due": "Vence", "closes": "Cierra",
		"country": "País", "cycle": "Ciclo", "no_activities": "Todavía no hay actividades.",
		"st_draft": "borrador", "st_proposed": "propuesta", "st_under_review": "en revisión", "st_changes_requested": "cambios solicitados",
		"st_approved": "aprobada", "st_rejected": "rechazada", "st_withdrawn": "retirada", "st_in_execution": "en ejecución",
		"st_completed": "completada", "st_cancelled": "cancelada",
		"task_title": "Informe sobre una actividad", "activity": "Actividad", "due_date": "Fecha límite",
		"previous_submission": "Su informe anterior", "submitted_on": "Enviado el",
		"f_status": "Estado", "f_progress": "Avance", "f_results": "Resultados frente a los productos esperados",
		"f_difficulties": "Dificultades", "f_next_steps": "Próximos pasos", "submit": "Enviar informe",
		"rs_not_started": "No iniciada", "rs_on_track": "Según lo previsto", "rs_delayed": "Retrasada", "rs_completed": "Completada", "rs_cancelled": "Cancelada",
		"task_done_title": "Informe recibido", "task_done_body": "Gracias. Su informe quedó registrado; recibirá un acuse por correo.",
		"vote_title": "Votación del Comité", "proposal": "Propuesta", "description": "Descripción", "expected_outputs": "Productos esperados", "period": "Período",
		"changes": "Cambios desde la versión anterior", "before": "Antes", "after": "Después", "round": "Ronda",
		"f_decision": "Su decisión", "f_comment": "Comentario", "vote_button": "Enviar voto",
		"d_approve": "Aprobar", "d_reject": "Rechazar", "d_request_changes": "Solicitar cambios",
		"vote_done_title": "Voto recibido", "tally": "Votos hasta ahora", "pending": "Falta votar", "majority": "Votos necesarios para decidir",
		"emails_title": "Registro de correos", "retry": "Reintentar",
	},
	"pt": {
		"err_control":    "Este texto contém um caractere de controle (como um byte NUL) que não pode ser salvo. Remova-o; ele aparece como \uFFFD.",
		"err_date_range": "Esta data está fora do período permitido aqui.", "err_id": "Use apenas letras, dígitos, '.', '_', ':' e '-' (no máximo 100).",
		"err_duplicate":  "Cada país pode constar uma só vez, e o país líder não entre os participantes.",
		"err_busy_title": "O portal está ocupado", "err_busy": "O portal está ocupado agora e sua resposta ainda não foi registrada. Ela está guardada abaixo: envie-a de novo em um minuto.", "send_again": "Enviar de novo",
		"err_date_past":   "Esta data já passou.",
		"err_task_closed": "Esta tarefa não aceita mais relatórios (foi dispensada ou seu ciclo encerrou).", "err_signal": "Sua resposta foi salva mas ainda não pôde ser confirmada. Envie o mesmo formulário de novo em instantes.", "err_round_closed": "Esta rodada de votação está encerrada; seu voto não foi registrado.",
		"language": "Idioma", "skip": "Ir para o conteúdo",
		"err_title": "Algo está errado", "err_link": "Este link não é válido ou expirou",
		"err_link_help":    "Peça um novo link à secretaria da CEPAL se ainda precisar agir.",
		"err_rate":         "Solicitações demais. Aguarde um minuto e tente de novo.",
		"err_cross_origin": "Este formulário foi enviado de outro site e foi recusado.",
		"err_form":         "Este formulário expirou. Abra a página de novo e reenvie-o.",
		"err_internal":     "Algo falhou do nosso lado. Sua resposta não foi registrada; tente mais tarde.",
		"err_not_found":    "Página não encontrada", "err_too_large": "O formulário é grande demais. Encurte seus textos.",
		"err_invalid":  "Corrija os campos indicados abaixo. Nada foi salvo.",
		"err_required": "Este campo é obrigatório.", "err_too_long": "Este texto é longo demais (no máximo %d caracteres).",
		"err_utf8": "Este texto contém caracteres inválidos.", "err_choice": "Escolha uma das opções.",
		"task_title": "Relatório sobre uma atividade", "activity": "Atividade", "due_date": "Prazo",
		"previous_submission": "Seu relatório anterior", "submitted_on": "Enviado em", "status": "Situação",
		"f_status": "Situação", "f_progress": "Progresso", "f_results": "Resultados frente aos produtos esperados",
		"f_difficulties": "Dificuldades", "f_next_steps": "Próximos passos", "submit": "Enviar relatório",
		"rs_not_started": "Não iniciada", "rs_on_track": "Conforme o previsto", "rs_delayed": "Atrasada", "rs_completed": "Concluída", "rs_cancelled": "Cancelada",
		"task_done_title": "Relatório recebido", "task_done_body": "Obrigado. Seu relatório foi registrado; um recibo chegará por e-mail.",
		"vote_title": "Votação do Comitê", "proposal": "Proposta", "description": "Descrição", "expected_outputs": "Produtos esperados", "period": "Período",
		"changes": "Mudanças desde a versão anterior", "before": "Antes", "after": "Depois", "round": "Rodada",
		"f_decision": "Sua decisão", "f_comment": "Comentário", "vote_button": "Enviar voto",
		"d_approve": "Aprovar", "d_reject": "Rejeitar", "d_request_changes": "Solicitar mudanças",
		"vote_done_title": "Voto recebido", "tally": "Votos até agora", "pending": "Faltam votar", "majority": "Votos necessários para decidir",
	},
	"fr": {
		"err_control":    "Ce texte contient un caractère de contrôle (comme un octet NUL) qui ne peut pas être enregistré. Veuillez le supprimer ; il est affiché comme \uFFFD.",
		"err_date_range": "Cette date est en dehors de la période permise ici.", "err_id": "N'utilisez que des lettres, des chiffres, '.', '_', ':' et '-' (au plus 100).",
		"err_duplicate":  "Chaque pays ne peut figurer qu'une fois, et le pays chef de file pas parmi les participants.",
		"err_busy_title": "Le portail est occupé", "err_busy": "Le portail est occupé en ce moment et votre réponse n'a pas encore été enregistrée. Elle est conservée ci-dessous : renvoyez-la dans une minute.", "send_again": "Renvoyer",
		"err_date_past":   "Cette date est déjà passée.",
		"err_task_closed": "Cette tâche n'accepte plus de rapports (elle a été dispensée ou son cycle est clos).", "err_signal": "Votre réponse a été enregistrée mais n'a pas encore pu être confirmée. Renvoyez le même formulaire dans un instant.", "err_round_closed": "Ce tour de vote est clos ; votre vote n'a pas été enregistré.",
		"language": "Langue", "skip": "Aller au contenu",
		"err_title": "Un problème est survenu", "err_link": "Ce lien n'est pas valide ou a expiré",
		"err_link_help":    "Demandez un nouveau lien au secrétariat de la CEPALC si vous devez encore agir.",
		"err_rate":         "Trop de requêtes. Veuillez patienter une minute et réessayer.",
		"err_cross_origin": "Ce formulaire a été envoyé depuis un autre site et a été refusé.",
		"err_form":         "Ce formulaire a expiré. Ouvrez la page de nouveau et renvoyez-le.",
		"err_internal":     "Une erreur est survenue de notre côté. Votre réponse n'a pas été enregistrée ; réessayez plus tard.",
		"err_not_found":    "Page introuvable", "err_too_large": "Le formulaire est trop volumineux. Raccourcissez vos textes.",
		"err_invalid":  "Corrigez les champs signalés ci-dessous. Rien n'a été enregistré.",
		"err_required": "Ce champ est obligatoire.", "err_too_long": "Ce texte est trop long (au plus %d caractères).",
		"err_utf8": "Ce texte contient des caractères non valides.", "err_choice": "Choisissez l'une des options.",
		"task_title": "Rapport sur une activité", "activity": "Activité", "due_date": "Échéance",
		"previous_submission": "Votre rapport précédent", "submitted_on": "Envoyé le", "status": "État",
		"f_status": "État", "f_progress": "Avancement", "f_results": "Résultats au regard des produits attendus",
		"f_difficulties": "Difficultés", "f_next_steps": "Prochaines étapes", "submit": "Envoyer le rapport",
		"rs_not_started": "Non commencée", "rs_on_track": "Conforme au calendrier", "rs_delayed": "En retard", "rs_completed": "Terminée", "rs_cancelled": "Annulée",
		"task_done_title": "Rapport reçu", "task_done_body": "Merci. Votre rapport a été enregistré ; un accusé de réception vous sera envoyé par courriel.",
		"vote_title": "Vote du Comité", "proposal": "Proposition", "description": "Description", "expected_outputs": "Produits attendus", "period": "Période",
		"changes": "Modifications depuis la version précédente", "before": "Avant", "after": "Après", "round": "Tour",
		"f_decision": "Votre décision", "f_comment": "Commentaire", "vote_button": "Envoyer le vote",
		"d_approve": "Approuver", "d_reject": "Rejeter", "d_request_changes": "Demander des modifications",
		"vote_done_title": "Vote reçu", "tally": "Votes à ce jour", "pending": "Doivent encore voter", "majority": "Votes nécessaires pour décider",
	},
}
